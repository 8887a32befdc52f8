"use client";

import { useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useState,
  type ReactNode,
} from "react";
import type { DeletionReceipt } from "@/lib/privacy/erasure";
import { DeletionReceiptView } from "./privacy/deletion-receipt";

const DeletionReceiptContext = createContext<
  ((receipt: DeletionReceipt) => void) | null
>(null);

/**
 * Returns the function that ends the signed-in view after the account was
 * deleted, replacing the header and the page with the receipt.
 */
export function useShowDeletionReceipt(): (receipt: DeletionReceipt) => void {
  const show = use(DeletionReceiptContext);
  if (!show) {
    throw new Error(
      "useShowDeletionReceipt needs an AccountShell above it: render the component inside the dashboard layout.",
    );
  }
  return show;
}

/**
 * Renders the signed-in frame of every dashboard page: the header and the
 * page. Once the account is deleted, it shows only the receipt, because the
 * header's workspace, name and links and the page's account details are no
 * longer true. The receipt is kept in this component's state and nowhere else.
 */
export function AccountShell({
  header,
  children,
}: {
  header: ReactNode;
  children: ReactNode;
}) {
  const [receipt, setReceipt] = useState<DeletionReceipt | null>(null);
  const queryClient = useQueryClient();
  // Every loaded view and the prerendered pages' account frame belonged to
  // the deleted account. Dropped, they load again from the server, which
  // finds no session and sends the browser to sign-in.
  const showReceipt = useCallback(
    (deleted: DeletionReceipt) => {
      queryClient.removeQueries();
      setReceipt(deleted);
    },
    [queryClient],
  );

  // Back and Forward between entries that the router pushed fire popstate,
  // and the router would then show the cached target page while this shell
  // keeps the receipt. Once the account is gone, every such step reloads the
  // target from the server instead, which redirects to the sign-in page.
  // Next.js 16 adds its popstate listener on window without capture, so this
  // capture listener runs first and stops it.
  useEffect(() => {
    if (!receipt) return;
    const reloadTarget = (event: PopStateEvent) => {
      event.stopImmediatePropagation();
      window.location.reload();
    };
    window.addEventListener("popstate", reloadTarget, { capture: true });
    return () =>
      window.removeEventListener("popstate", reloadTarget, { capture: true });
  }, [receipt]);

  return (
    <DeletionReceiptContext value={showReceipt}>
      {receipt ? null : header}
      <main className="mx-auto max-w-6xl min-w-0 px-4 py-6">
        {receipt ? <DeletionReceiptView receipt={receipt} /> : children}
      </main>
    </DeletionReceiptContext>
  );
}
