"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { Button } from "@/components/ui/button";

// Shown when a page fails to render on the server, for example while the
// database is unreachable. In production Next.js hides the server error's
// message, so the text stays general and points to the retry.
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  // reset() alone re-renders only on the client; refresh() asks the server
  // for the page again.
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 px-4 py-16">
      <h1 className="text-xl font-semibold" data-testid="page-error">
        This page could not load
      </h1>
      <p>
        Inview could not reach a service it needs, usually its database. Your
        data is safe. Try again in a few seconds.
      </p>
      {error.digest ? (
        <p className="text-sm text-muted">Error reference: {error.digest}</p>
      ) : null}
      <div>
        <Button type="button" onClick={retry}>
          Try again
        </Button>
      </div>
    </main>
  );
}
