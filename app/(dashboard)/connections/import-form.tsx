"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useSyncExternalStore } from "react";

import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

const subscribeToNothing = () => () => {};

/**
 * Reports whether the component runs in a hydrated page: false in the server
 * render and the hydration render, true in every other render.
 */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

type ApiConnection = {
  id: string;
  name: string;
  kind: "person" | "organization";
};

/** Uploads one LinkedIn export file to POST /api/imports and reports the result. */
export function ImportForm({
  workspaceId,
  apiConnections,
}: {
  workspaceId: string;
  apiConnections: ApiConnection[];
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(
    null,
  );
  const fileId = useId();
  const linkId = useId();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setMessage(null);
    try {
      const response = await fetch("/api/imports", {
        method: "POST",
        body: new FormData(event.currentTarget),
      });
      const body = (await response.json()) as
        | {
            rowsRead: number;
            rowsWritten: number;
            duplicate: boolean;
            linked?: boolean;
          }
        | { error: { message: string } };
      if ("error" in body) {
        setMessage({ ok: false, text: body.error.message });
      } else {
        setMessage({
          ok: true,
          text: body.linked
            ? "This file was imported before. It is now linked, so the API connection's values count on days both have."
            : body.duplicate
              ? "This file was imported before; nothing changed."
              : `Imported ${body.rowsRead} values; ${body.rowsWritten} were new or changed.`,
        });
        router.refresh();
      }
    } catch {
      setMessage({
        ok: false,
        text: "The upload failed. Check your connection and try again.",
      });
    } finally {
      setPending(false);
    }
  }

  return (
    // Until hydration attaches onSubmit, the browser would submit the form
    // itself, which sends no file to /api/imports and shows no message. The
    // button stays disabled until then, and method="post" keeps the fields
    // out of the URL should the form be submitted some other way.
    <form
      method="post"
      onSubmit={(event) => void submit(event)}
      className="flex flex-col gap-3 text-sm"
    >
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <div className="flex flex-col gap-1">
        <label htmlFor={fileId} className="font-medium">
          Export file (.xlsx or .xls, up to 10 MB)
        </label>
        <input
          id={fileId}
          name="file"
          type="file"
          required
          accept=".xlsx,.xls"
          aria-describedby={`${fileId}-hint`}
          className="max-w-full cursor-pointer rounded-md text-sm text-muted file:mr-3 file:min-h-9 file:cursor-pointer file:rounded-md file:border file:border-border file:bg-surface file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-foreground hover:file:bg-surface-muted focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
        />
        <p id={`${fileId}-hint`} className="text-xs text-muted">
          Choose the file LinkedIn exported; its name shows next to the button.
        </p>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={linkId} className="font-medium">
          Same member or page as
        </label>
        <select
          id={linkId}
          name="apiConnectionId"
          className="min-h-9 rounded-md border border-border bg-surface px-2"
        >
          <option value="">No API connection</option>
          {apiConnections.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name}
            </option>
          ))}
        </select>
        <p className="text-xs text-muted">
          Where both have a day, the dashboard uses the API value. To link a
          file imported before the API connection existed, import it again with
          the connection chosen here.
        </p>
      </div>
      <Button
        type="submit"
        disabled={!hydrated || pending}
        className="self-start"
      >
        {pending ? <Spinner /> : null}
        {pending ? "Importing…" : "Import file"}
      </Button>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={message.ok ? "" : "text-negative"}
        >
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
