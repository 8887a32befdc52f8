"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { PageErrorPanel } from "@/components/page-error";

// Shown when a page fails to render on the server, for example while the
// database is unreachable.
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
  return <PageErrorPanel reference={error.digest} onRetry={retry} />;
}
