"use client";

import { createContext, use, useState, type ReactNode } from "react";
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

  return (
    <DeletionReceiptContext value={setReceipt}>
      {receipt ? null : header}
      <main className="mx-auto max-w-6xl min-w-0 px-4 py-6">
        {receipt ? <DeletionReceiptView receipt={receipt} /> : children}
      </main>
    </DeletionReceiptContext>
  );
}
