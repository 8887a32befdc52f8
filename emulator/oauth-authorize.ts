// GET and POST /oauth/v2/authorization: the authorization code flow's
// consent step.

import type { IncomingMessage, ServerResponse } from "node:http";
import { renderAuthorizeError, renderConsentPage } from "./authorize-page";
import { readForm, redirect, sendHtml } from "./http";
import { findMember } from "./members";
import type { EmulatorState } from "./state";
import { sameScopes, type PendingAuthorization } from "./tokens";

const APP_NAME = "Inview";
const MEMBER_COOKIE = "li_emulator_member";

/** Splits a scope parameter, sorted and without duplicates. */
export function parseScopes(text: string): string[] {
  const scopes = text.split(/[\s,]+/).filter((scope) => scope !== "");
  return [...new Set(scopes)].sort();
}

function redirectWith(
  res: ServerResponse,
  redirectUri: string,
  params: Record<string, string | undefined>,
): void {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  redirect(res, target.toString());
}

function memberFromCookie(req: IncomingMessage): string | undefined {
  const cookies = req.headers.cookie?.split(";") ?? [];
  for (const cookie of cookies) {
    const [name, value] = cookie.trim().split("=");
    if (name === MEMBER_COOKIE) return value;
  }
  return undefined;
}

// GET /oauth/v2/authorization: validate the request and show the consent page
export function handleAuthorize(
  state: EmulatorState,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const params = url.searchParams;
  const { options } = state;
  const redirectUri = params.get("redirect_uri") ?? "";
  const requestState = params.get("state") ?? undefined;

  // Errors about the client or the redirect URI are shown, never redirected,
  // because the redirect target is not trusted yet.
  if (params.get("client_id") !== options.clientId) {
    sendHtml(res, 400, renderAuthorizeError("The client_id is invalid."));
    return;
  }
  if (!options.redirectUris.includes(redirectUri)) {
    const message =
      "The redirect_uri does not match the registered value: " + redirectUri;
    sendHtml(res, 400, renderAuthorizeError(message));
    return;
  }

  const fail = (error: string, description: string) =>
    redirectWith(res, redirectUri, {
      error,
      error_description: description,
      state: requestState,
    });
  if (params.get("response_type") !== "code") {
    fail("unsupported_response_type", "response_type must be code");
    return;
  }
  const scopes = parseScopes(params.get("scope") ?? "");
  if (scopes.length === 0) {
    fail("invalid_request", "The request is missing the scope parameter");
    return;
  }
  const unauthorized = scopes.find(
    (scope) =>
      !options.allowedScopes.includes(scope) ||
      state.switches.unauthorizedScopes.includes(scope),
  );
  if (unauthorized) {
    // LinkedIn quotes the scope as an HTML entity; the redirect then
    // form-encodes it into Scope+%26quot%3Bname%26quot%3B+is+not+...
    const description = `Scope &quot;${unauthorized}&quot; is not authorized for your application`;
    fail("unauthorized_scope_error", description);
    return;
  }

  const pending = state.tokens.addPending(
    { redirectUri, state: requestState, scopes },
    state.clock.now(),
  );
  const remembered = findMember(memberFromCookie(req) ?? "");
  const grant = remembered && state.tokens.grants.get(remembered.id);
  if (
    state.switches.rememberConsent &&
    grant &&
    sameScopes(grant.scopes, scopes)
  ) {
    approve(state, pending, remembered.id, res);
    return;
  }
  sendHtml(
    res,
    200,
    renderConsentPage({ requestId: pending.id, appName: APP_NAME, scopes }),
  );
}

function approve(
  state: EmulatorState,
  pending: PendingAuthorization,
  memberId: string,
  res: ServerResponse,
): void {
  state.tokens.pending.delete(pending.id);
  const code = state.tokens.issueCode(
    memberId,
    pending.redirectUri,
    pending.scopes,
    state.clock.now(),
  );
  res.setHeader(
    "set-cookie",
    `${MEMBER_COOKIE}=${memberId}; Path=/oauth; HttpOnly; SameSite=Lax`,
  );
  redirectWith(res, pending.redirectUri, {
    code: code.value,
    state: pending.state,
  });
}

// POST /oauth/v2/authorization: the tester's Allow or Cancel
export async function handleConsent(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = await readForm(req);
  const pending = state.tokens.pending.get(form.get("request_id") ?? "");
  if (!pending || pending.expiresAt <= state.clock.now()) {
    const message =
      "This authorization request is unknown or expired. Start the sign-in again.";
    sendHtml(res, 400, renderAuthorizeError(message));
    return;
  }

  if (form.get("decision") === "cancel") {
    state.tokens.pending.delete(pending.id);
    redirectWith(res, pending.redirectUri, {
      error: "user_cancelled_authorize",
      error_description: "The user cancelled the authorization",
      state: pending.state,
    });
    return;
  }

  const member = findMember(form.get("member") ?? "");
  if (form.get("decision") !== "allow" || !member) {
    const page = renderConsentPage({
      requestId: pending.id,
      appName: APP_NAME,
      scopes: pending.scopes,
      error: "Pick the member to sign in as, then choose Allow.",
    });
    sendHtml(res, 400, page);
    return;
  }
  approve(state, pending, member.id, res);
}
