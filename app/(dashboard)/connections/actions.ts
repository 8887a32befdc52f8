"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { requireMember, runAction, workspaceIdOf } from "@/lib/auth/guard";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import {
  CONNECT_CALLBACK_PATH,
  CONNECT_SCOPES,
} from "@/lib/connections/connect";
import {
  CONNECT_COOKIE,
  CONNECT_STATE_MAX_AGE_SECONDS,
  createConnectState,
} from "@/lib/connections/connect-state";
import {
  removeConnection as deleteConnection,
  type ConnectionRemoval,
} from "@/lib/connections/remove";
import { db } from "@/lib/db/client";
import { linkedinGrants } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError, ValidationError } from "@/lib/errors";
import { buildAuthorizeUrl } from "@/lib/linkedin/oauth";
import {
  ANALYTICS_CONSENT,
  recordAnalyticsConsent,
} from "@/lib/privacy/consent";
import { connectionRemovalDeps } from "@/lib/privacy/deps";
import { fail, type ActionResult } from "@/lib/result";
import { revalidateAccountPages } from "@/lib/server/revalidate";

/**
 * Returns the scopes to request when re-authorizing for one missing scope:
 * those the member's grant already has plus that one, because a LinkedIn
 * token carries only the scopes of its own authorization.
 */
async function reauthorizationScopes(
  context: WorkspaceContext,
  scope: string,
): Promise<string[]> {
  const [grant] = await db()
    .select({ scopes: linkedinGrants.scopes })
    .from(linkedinGrants)
    .where(
      and(
        eq(linkedinGrants.userId, context.userId),
        eq(linkedinGrants.workspaceId, context.workspaceId),
      ),
    )
    .limit(1);
  const granted = (grant?.scopes ?? []).filter((name) =>
    (CONNECT_SCOPES as readonly string[]).includes(name),
  );
  return [...new Set(["openid", ...granted, scope])];
}

const acceptSchema = z.object({
  consentVersion: z.string().min(1),
  scope: z.enum(CONNECT_SCOPES).optional(),
});

/**
 * Records the analytics consent, then sends the browser to LinkedIn to grant
 * exactly the analytics scopes. Returns an error result instead when the
 * caller may not connect in the workspace or accepted an outdated text.
 */
export async function acceptConsentAndConnect(
  _previous: ActionResult<never> | null,
  formData: FormData,
): Promise<ActionResult<never>> {
  const config = env();
  let authorizeUrl: string;
  try {
    const fields: Record<string, unknown> =
      formData instanceof FormData ? Object.fromEntries(formData) : {};
    const context = await requireMember(
      fields.workspaceId,
      "connections.connect",
    );
    const parsed = acceptSchema.safeParse(fields);
    if (!parsed.success)
      return fail(
        "invalid_input",
        "The consent form is incomplete. Reload the page and try again.",
      );
    if (parsed.data.consentVersion !== ANALYTICS_CONSENT.version) {
      return fail(
        "consent_outdated",
        "The consent text changed while you were reading. Reload the page to see the new text.",
      );
    }
    const scopes = parsed.data.scope
      ? await reauthorizationScopes(context, parsed.data.scope)
      : [...CONNECT_SCOPES];
    const consent = await db().transaction((tx) =>
      recordAnalyticsConsent(tx, {
        userId: context.userId,
        workspaceId: context.workspaceId,
        scopes,
      }),
    );
    const { state, cookie } = createConnectState(
      {
        workspaceId: context.workspaceId,
        consentId: consent.id,
        userId: context.userId,
      },
      config.authSecret,
    );
    (await cookies()).set(CONNECT_COOKIE, cookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: config.appUrl.startsWith("https://"),
      path: "/api/connections",
      maxAge: CONNECT_STATE_MAX_AGE_SECONDS,
    });
    authorizeUrl = buildAuthorizeUrl({
      oauthBase: config.linkedin.oauthBase,
      clientId: config.linkedin.clientId,
      redirectUri: `${config.appUrl}${CONNECT_CALLBACK_PATH}`,
      state,
      scopes,
    });
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    throw error;
  }
  redirect(authorizeUrl);
}

const removeSchema = z.object({ connectionId: z.uuid() });

/**
 * Removes a connection with its data. Members remove their own; owners and
 * admins anyone's. An API connection takes the LinkedIn authorization and
 * the other profiles and pages it connected with it.
 */
export async function removeConnection(input: {
  workspaceId: string;
  connectionId: string;
}): Promise<ActionResult<ConnectionRemoval>> {
  return runAction("removeConnection", async () => {
    const context = await requireMember(
      workspaceIdOf(input),
      "connections.connect",
    );
    const parsed = removeSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError(
        "The connection to remove is missing. Reload the page and try again.",
      );
    const result = await deleteConnection(
      db(),
      context,
      parsed.data.connectionId,
      connectionRemovalDeps(),
    );
    revalidateAccountPages();
    return result;
  });
}
