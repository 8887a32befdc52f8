import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { authorize } from "@/lib/auth/permissions";
import { currentWorkspace, getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { analyticsConsentState } from "@/lib/privacy/consent";
import { ConsentBanner } from "@/components/consent-banner";
import { StaleDataNotice } from "@/components/stale-data-notice";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { staleData } from "@/lib/metrics/freshness";
import { parseViewParams } from "@/lib/metrics/view";
import { DashboardClient } from "./dashboard-client";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function DashboardPage({ searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");

  const context = await authorize(
    db(),
    user.id,
    workspace.id,
    "dashboard.view",
  );
  const view = parseViewParams(await searchParams);
  const initialData = await loadDashboardData(db(), context, view);
  const consent = await analyticsConsentState(db(), user.id);

  return (
    <div className="space-y-4">
      <ConsentBanner state={consent.state} />
      <StaleDataNotice stale={staleData(initialData.connections, new Date())} />
      <DashboardClient
        workspaceId={workspace.id}
        initialView={view}
        initialData={initialData}
      />
    </div>
  );
}
