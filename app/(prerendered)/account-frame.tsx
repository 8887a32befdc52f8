"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, use, useEffect, type ReactNode } from "react";
import { AccountHeader } from "@/app/(dashboard)/account-header";
import { AccountShell } from "@/app/(dashboard)/account-shell";
import { PageErrorPanel } from "@/components/page-error";
import { Spinner } from "@/components/ui/spinner";
import { ACCOUNT_QUERY_KEY } from "@/lib/auth/account-query";
import { signInPathFor } from "@/lib/auth/return-path";
import { loadAccount, type AccountFrame } from "./actions";

type ReadyFrame = Extract<AccountFrame, { state: "ready" }>;

const ReadyFrameContext = createContext<ReadyFrame | null>(null);

/** Returns the caller's frame, for the pages inside PrerenderedFrame. */
export function useReadyFrame(): ReadyFrame {
  const frame = use(ReadyFrameContext);
  if (!frame)
    throw new Error(
      "useReadyFrame needs a PrerenderedFrame above it: render the page inside the (prerendered) layout.",
    );
  return frame;
}

/**
 * Renders what the HTML shows until the caller's frame has loaded: the
 * header's place and a loading state. It is replaced as a whole, not resized, so
 * nothing on the page moves when the frame arrives.
 */
function FramePlaceholder() {
  return (
    <div className="min-h-screen">
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-6xl items-center px-4 py-3">
          <span className="text-lg font-semibold">Inview</span>
        </div>
      </header>
      <div className="mx-auto max-w-6xl px-4 py-6">
        <p role="status" className="flex items-center gap-2 text-sm text-muted">
          <Spinner />
          Loading…
        </p>
      </div>
    </div>
  );
}

/**
 * Renders the signed-in frame of a page prerendered at build time. Its HTML contains
 * no one's data, so the browser loads the caller's header, workspace and
 * consent through the loadAccount action, then renders the page inside the
 * same shell the server-rendered pages use. Without a session (an expired
 * cookie passes the proxy) it opens the sign-in page, which returns here,
 * and without a workspace the welcome page. Both replace this history entry,
 * as a server redirect would, so Back does not return to a page that only
 * sends the browser away again.
 */
export function PrerenderedFrame({ children }: { children: ReactNode }) {
  const router = useRouter();
  const query = useQuery({
    queryKey: ACCOUNT_QUERY_KEY,
    queryFn: async (): Promise<AccountFrame | { state: "signed_out" }> => {
      const result = await loadAccount();
      if (result.ok) return result.data;
      if (result.error.code === "unauthorized") return { state: "signed_out" };
      throw new Error(result.error.message);
    },
    // One quick retry rides out a dropped connection. A longer outage shows
    // the error with its Try again button.
    retry: 1,
    // The session, the memberships and the consent change on other pages
    // and in other tabs, so every visit requests the frame again. A cached
    // frame shows meanwhile, but only a fresh one may redirect. A cached
    // "no workspace" would send a person who has just created one back to
    // /welcome, which sends them here again.
    staleTime: 0,
    refetchOnMount: "always",
  });
  const frame = query.data;
  const fresh = query.isFetchedAfterMount;

  useEffect(() => {
    if (!fresh) return;
    if (frame?.state === "signed_out") {
      const { pathname, search } = window.location;
      window.location.replace(signInPathFor(`${pathname}${search}`));
    } else if (frame?.state === "no_workspace") {
      router.replace("/welcome");
    }
  }, [frame, fresh, router]);

  if (query.isError)
    return <PageErrorPanel onRetry={() => void query.refetch()} />;
  if (frame?.state !== "ready") return <FramePlaceholder />;
  return (
    <div className="min-h-screen">
      <AccountShell header={<AccountHeader header={frame.header} />}>
        <ReadyFrameContext value={frame}>{children}</ReadyFrameContext>
      </AccountShell>
    </div>
  );
}
