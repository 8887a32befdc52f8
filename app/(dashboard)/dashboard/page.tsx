import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { authorize } from "@/lib/auth/permissions";
import { currentWorkspace, getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { analyticsConsentState } from "@/lib/privacy/consent";
import { ConsentBanner } from "@/components/consent-banner";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import {
  PRESET_RANGE_DAYS,
  type PresetRangeDays,
} from "@/lib/metrics/registry";
import { DashboardClient } from "./dashboard-client";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

function parseRange(value: string | undefined): PresetRangeDays {
  const days = Number(value);
  return PRESET_RANGE_DAYS.find((preset) => preset === days) ?? 28;
}

type Props = { searchParams: Promise<{ range?: string }> };

export default async function DashboardPage({ searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/sign-in");

  const rangeDays = parseRange((await searchParams).range);
  const context = await authorize(
    db(),
    user.id,
    workspace.id,
    "dashboard.view",
  );
  const initialData = await loadDashboardData(db(), context, rangeDays);
  const consent = await analyticsConsentState(db(), user.id);

  return (
    <div className="space-y-4">
      <ConsentBanner state={consent.state} />
      <DashboardClient
        workspaceId={workspace.id}
        rangeDays={rangeDays}
        initialData={initialData}
      />
    </div>
  );
}
