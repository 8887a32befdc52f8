import { Button } from "@/components/ui/button";

/**
 * Renders the full-page notice for a page that could not load, for example while the
 * database is unreachable. The text stays general, because production
 * builds hide a server error's message, and points to the retry.
 */
export function PageErrorPanel({
  reference,
  onRetry,
}: {
  /** The server error's digest, which the server log carries too. */
  reference?: string;
  onRetry: () => void;
}) {
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 px-4 py-16">
      <h1 className="text-xl font-semibold" data-testid="page-error">
        This page could not load
      </h1>
      <p>
        Inview could not reach a service it needs, usually its database. Your
        data is safe. Try again in a few seconds.
      </p>
      {reference ? (
        <p className="text-sm text-muted">Error reference: {reference}</p>
      ) : null}
      <div>
        <Button type="button" onClick={onRetry}>
          Try again
        </Button>
      </div>
    </main>
  );
}
