"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ACCOUNT_QUERY_KEY } from "@/lib/auth/account-query";
import { createWorkspace, switchWorkspace } from "./actions";
import { leaveWorkspace } from "./team/actions";

type Props = {
  currentId: string;
  workspaces: { id: string; name: string; role: string }[];
};

/**
 * The header's workspace picker, the form that creates a workspace, and the
 * Leave control, which every role can reach (the team page is for owners
 * and admins only).
 */
export function WorkspaceSwitcher({ currentId, workspaces }: Props) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [creating, setCreating] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Server-rendered pages read the current workspace again on refresh, and
  // the prerendered dashboard reads it through its account query.
  async function reloadAccount() {
    router.refresh();
    await queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEY });
  }

  function choose(workspaceId: string) {
    startTransition(async () => {
      const result = await switchWorkspace({ workspaceId });
      if (!result.ok) setError(result.error.message);
      await reloadAccount();
    });
  }

  function create(formData: FormData) {
    startTransition(async () => {
      const name = formData.get("name");
      const result = await createWorkspace({
        name: typeof name === "string" ? name : "",
      });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setCreating(false);
      setError(null);
      router.push("/dashboard");
      await reloadAccount();
    });
  }

  function leave() {
    startTransition(async () => {
      const result = await leaveWorkspace({ workspaceId: currentId });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setLeaving(false);
      setError(null);
      router.push("/dashboard");
      await reloadAccount();
    });
  }

  const current = workspaces.find((workspace) => workspace.id === currentId);
  // Leaving the only workspace would leave no dashboard to open.
  const canLeave = workspaces.length > 1;

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor="workspace-switcher">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        value={currentId}
        disabled={pending}
        onChange={(event) => choose(event.target.value)}
        className="rounded-md border border-border bg-surface px-2 py-1"
      >
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name} ({workspace.role})
          </option>
        ))}
      </select>
      {creating ? (
        <form action={create} className="flex items-center gap-1">
          <label className="sr-only" htmlFor="new-workspace-name">
            New workspace name
          </label>
          <input
            id="new-workspace-name"
            name="name"
            required
            maxLength={80}
            placeholder="Workspace name"
            className="rounded-md border border-border bg-surface px-2 py-1"
          />
          <button type="submit" disabled={pending} className="underline">
            Create
          </button>
          <button type="button" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => setCreating(true)}
          className="underline-offset-2 hover:underline"
        >
          New workspace
        </button>
      )}
      {canLeave && !leaving ? (
        <button
          type="button"
          onClick={() => setLeaving(true)}
          className="underline-offset-2 hover:underline"
        >
          Leave workspace
        </button>
      ) : null}
      {leaving ? (
        <div
          role="group"
          aria-label="Confirm leaving the workspace"
          className="flex flex-wrap items-center gap-2"
        >
          <span>
            Leave {current?.name ?? "this workspace"}? Your LinkedIn connections
            and their metrics leave it with you.
          </span>
          <button
            type="button"
            disabled={pending}
            onClick={leave}
            className="underline"
          >
            Confirm leaving
          </button>
          <button type="button" onClick={() => setLeaving(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <span role="alert" className="text-danger">
          {error}
        </span>
      ) : null}
    </div>
  );
}
