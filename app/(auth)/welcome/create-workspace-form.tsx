"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { createWorkspace } from "../../(dashboard)/actions";

export function CreateWorkspaceForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(formData: FormData) {
    const name = formData.get("name");
    startTransition(async () => {
      const result = await createWorkspace({
        name: typeof name === "string" ? name : "",
      });
      if (result.ok) router.push("/dashboard");
      else setError(result.error.message);
    });
  }

  return (
    <form action={submit} className="space-y-3">
      <label className="block text-sm font-medium" htmlFor="workspace-name">
        Workspace name
      </label>
      <input
        id="workspace-name"
        name="name"
        required
        maxLength={80}
        className="w-full rounded-md border border-border bg-surface px-3 py-2 text-sm"
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create workspace"}
      </Button>
      {error ? (
        <p role="alert" className="text-sm text-negative">
          {error}
        </p>
      ) : null}
    </form>
  );
}
