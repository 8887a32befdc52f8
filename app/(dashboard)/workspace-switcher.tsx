"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createWorkspace, switchWorkspace } from "./actions";

type Props = {
  currentId: string;
  workspaces: { id: string; name: string; role: string }[];
};

/** The header's workspace picker and the form that creates a workspace. */
export function WorkspaceSwitcher({ currentId, workspaces }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function choose(workspaceId: string) {
    startTransition(async () => {
      const result = await switchWorkspace({ workspaceId });
      if (!result.ok) setError(result.error.message);
      router.refresh();
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
      router.refresh();
    });
  }

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
      {error ? (
        <span role="alert" className="text-danger">
          {error}
        </span>
      ) : null}
    </div>
  );
}
