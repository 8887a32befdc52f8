"use server";

import {
  loadAccountHeader,
  type AccountHeaderData,
} from "@/lib/auth/account-header";
import { authorizeMembership } from "@/lib/auth/permissions";
import { requireUser, runAction } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { lastCompleteDay } from "@/lib/metrics/view";
import type { IsoDay } from "@/lib/metrics/types";
import {
  analyticsConsentState,
  type ConsentState,
} from "@/lib/privacy/consent";
import type { ActionResult } from "@/lib/result";

/** The caller's frame: what a prerendered page needs before it loads data. */
export type AccountFrame =
  | { state: "no_workspace" }
  | {
      state: "ready";
      header: AccountHeaderData;
      workspaceId: string;
      consent: ConsentState;
      /** Yesterday in UTC by the server's clock: the end of every preset range. */
      lastCompleteDay: IsoDay;
    };

/**
 * Reads the caller's session, current workspace, header and consent for a
 * page whose HTML was rendered at build time. Without a session it fails
 * with `unauthorized`, and the browser opens the sign-in page.
 */
export async function loadAccount(): Promise<ActionResult<AccountFrame>> {
  return runAction("loadAccount", async (): Promise<AccountFrame> => {
    const user = await requireUser();
    const [header, consent] = await Promise.all([
      loadAccountHeader(user),
      analyticsConsentState(db(), user.id),
    ]);
    if (!header) return { state: "no_workspace" };
    const current = header.workspaces.find(
      (workspace) => workspace.id === header.currentWorkspaceId,
    );
    if (!current) throw new Error("The current workspace is not in the list");
    authorizeMembership(
      user.id,
      { workspaceId: current.id, role: current.role },
      "dashboard.view",
    );
    return {
      state: "ready",
      header,
      workspaceId: current.id,
      consent: consent.state,
      lastCompleteDay: lastCompleteDay(new Date()),
    };
  });
}
