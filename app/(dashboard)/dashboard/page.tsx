import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { authorizeMembership } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { analyticsConsentState } from "@/lib/privacy/consent";
import { ConsentBanner } from "@/components/consent-banner";
import { lastCompleteDay, parseViewParams } from "@/lib/metrics/view";
import { DashboardClient } from "./dashboard-client";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

/** Writes the page's search parameters back as the query string the browser shows. */
function searchOf(params: Record<string, string | string[] | undefined>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) search.append(key, item);
    }
  }
  return search.toString();
}

type Props = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function DashboardPage({ searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");

  // currentWorkspace read the role with the user's memberships in this
  // request, so checking it again would only repeat that query. The action
  // checks the caller again on every call.
  authorizeMembership(
    user.id,
    { workspaceId: workspace.id, role: workspace.role },
    "dashboard.view",
  );
  const params = await searchParams;
  // The page sends the shell only, and the browser loads the whole view
  // (figures and series) through the loadDashboard action after hydration.
  // Rendering the figures here too computed them twice per visit.
  const consent = await analyticsConsentState(db(), user.id);

  return (
    <div className="space-y-4">
      <ConsentBanner state={consent.state} />
      <DashboardClient
        workspaceId={workspace.id}
        initialView={parseViewParams(params)}
        search={searchOf(params)}
        lastCompleteDay={lastCompleteDay(new Date())}
      />
    </div>
  );
}
