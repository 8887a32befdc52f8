"use server";

import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import { CONNECT_SCOPES } from "@/lib/connections/connect";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import {
  ANALYTICS_CONSENT,
  recordAnalyticsConsent,
  resumePausedConnections,
} from "@/lib/privacy/consent";
import { withdrawalDeps } from "@/lib/privacy/deps";
import {
  withdrawAnalyticsConsent,
  type WithdrawalResult,
} from "@/lib/privacy/withdraw";
import { fail, ok, type ActionResult } from "@/lib/result";
import { enqueueSync } from "@/lib/sync/queue";
import { revalidateAccountPages } from "@/lib/server/revalidate";

/** Withdraws the caller's analytics consent and returns what was removed. */
export async function withdrawConsent(): Promise<
  ActionResult<WithdrawalResult>
> {
  const user = await getSessionUser();
  if (!user) return fail("unauthorized", "Sign in to continue.");
  const result = await withdrawAnalyticsConsent(withdrawalDeps(), user.id);
  revalidateAccountPages();
  return ok(result);
}

const reacceptSchema = z.object({
  workspaceId: z.string().min(1),
  consentVersion: z.string().min(1),
});

/**
 * Records acceptance of the current consent text and resumes the caller's
 * connections that were paused because their consent was out of date.
 */
export async function reacceptConsent(
  _previous: ActionResult<{ resumed: number }> | null,
  formData: FormData,
): Promise<ActionResult<{ resumed: number }>> {
  const user = await getSessionUser();
  if (!user) return fail("unauthorized", "Sign in to continue.");
  const parsed = reacceptSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return fail("invalid_input", "The form is incomplete. Reload the page.");
  if (parsed.data.consentVersion !== ANALYTICS_CONSENT.version)
    return fail(
      "consent_outdated",
      "The consent text changed while you were reading. Reload the page to see the new text.",
    );
  try {
    const context = await authorize(
      db(),
      user.id,
      parsed.data.workspaceId,
      "dashboard.view",
    );
    const resumed = await db().transaction(async (tx) => {
      await recordAnalyticsConsent(tx, {
        userId: context.userId,
        workspaceId: context.workspaceId,
        scopes: [...CONNECT_SCOPES],
      });
      return resumePausedConnections(tx, context.userId);
    });
    for (const connectionId of resumed)
      await enqueueSync(connectionId, "daily");
    revalidateAccountPages();
    return ok({ resumed: resumed.length });
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    throw error;
  }
}
