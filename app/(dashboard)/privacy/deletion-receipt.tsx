"use client";

import { useEffect, useRef } from "react";
import { Card } from "@/components/ui/card";
import type { DeletionReceipt } from "@/lib/privacy/erasure";
import { RemovedList } from "./removed-list";

/**
 * Shows the receipt of a deleted account, with its download and a link to
 * the sign-in page. The receipt arrives only in the response to the
 * deletion, so it is lost once the person leaves or reloads the page.
 */
export function DeletionReceiptView({ receipt }: { receipt: DeletionReceipt }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The button that was pressed is gone, so focus moves to the heading and
  // screen readers announce the outcome. The tab's title would still name
  // the privacy page.
  useEffect(() => {
    heading.current?.focus();
    document.title = "Account deleted · Inview";
  }, []);

  return (
    <div className="space-y-6">
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold">
        Your account was deleted
      </h1>
      <Card className="space-y-3 p-4" aria-labelledby="receipt">
        <h2 id="receipt" className="text-lg font-medium">
          Receipt {receipt.receiptId}
        </h2>
        <p className="text-sm">
          Inview deleted your account at {receipt.erasedAt} and signed you out
          on every device. It deleted:
        </p>
        <RemovedList label="Deleted data" counts={receipt.removed} />
        <p className="text-sm">
          Download the signed receipt now. This page cannot show it again after
          you leave or reload it.
        </p>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <a
            className="font-medium underline"
            download={`inview-deletion-receipt-${receipt.receiptId}.json`}
            href={`data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(receipt, null, 2))}`}
          >
            Download the signed receipt
          </a>
          <a className="underline" href="/sign-in">
            Go to sign-in
          </a>
        </p>
      </Card>
    </div>
  );
}
