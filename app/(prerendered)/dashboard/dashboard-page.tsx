"use client";

import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { ConsentBanner } from "@/components/consent-banner";
import { Spinner } from "@/components/ui/spinner";
import { parseViewParams } from "@/lib/metrics/view";
import { useReadyFrame } from "../account-frame";
import { DashboardClient } from "./dashboard-client";

/** Shown while the view's parameters are read from the URL. */
export function DashboardPlaceholder() {
  return (
    <p role="status" className="flex items-center gap-2 text-sm text-muted">
      <Spinner />
      Loading the dashboard…
    </p>
  );
}

/** Reads the query string as the record parseViewParams takes, repeated keys as lists. */
function paramsRecord(
  params: URLSearchParams,
): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0]! : values;
  }
  return record;
}

export function DashboardPage() {
  const params = useSearchParams();
  const frame = useReadyFrame();
  const search = params.toString();
  const initialView = useMemo(
    () => parseViewParams(paramsRecord(new URLSearchParams(search))),
    [search],
  );

  return (
    <div className="space-y-4">
      <ConsentBanner state={frame.consent} />
      <DashboardClient
        workspaceId={frame.workspaceId}
        initialView={initialView}
        search={search}
        lastCompleteDay={frame.lastCompleteDay}
      />
    </div>
  );
}
