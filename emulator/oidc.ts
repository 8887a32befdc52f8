// OpenID Connect parts: discovery, JWKS, id_tokens, userinfo, the legacy
// /v2/me profile and the signed picture URLs.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { authenticate } from "./bearer";
import { accessDenied } from "./errors";
import { sendJson } from "./http";
import { findMember, fullName, pairwiseSub, type DemoMember } from "./members";
import type { EmulatorState } from "./state";

const ID_TOKEN_LIFETIME_S = 3600;
const PICTURE_LIFETIME_MS = 30 * 86_400_000;

export function issuerOf(state: EmulatorState): string {
  return `${state.baseUrl}/oauth`;
}

// GET /oauth/.well-known/openid-configuration: OIDC discovery
export function sendDiscovery(state: EmulatorState, res: ServerResponse) {
  const base = state.baseUrl;
  sendJson(res, 200, {
    issuer: issuerOf(state),
    authorization_endpoint: `${base}/oauth/v2/authorization`,
    token_endpoint: `${base}/oauth/v2/accessToken`,
    userinfo_endpoint: `${base}/v2/userinfo`,
    jwks_uri: `${base}/oauth/openid/jwks`,
    response_types_supported: ["code"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "profile", "email"],
    claims_supported: [
      "iss",
      "aud",
      "iat",
      "exp",
      "sub",
      "name",
      "given_name",
      "family_name",
      "picture",
      "email",
      "email_verified",
      "locale",
    ],
    token_endpoint_auth_methods_supported: ["client_secret_post"],
  });
}

// GET /oauth/openid/jwks: the public key of the id_token signatures
export function sendJwks(state: EmulatorState, res: ServerResponse): void {
  sendJson(res, 200, { keys: [state.signingKey.publicJwk] });
}

function pictureSignature(state: EmulatorState, path: string): string {
  return createHmac("sha256", state.options.clientSecret)
    .update(path)
    .digest("base64url");
}

/** Builds a picture URL that expires, like LinkedIn's signed media URLs. */
export function pictureUrl(state: EmulatorState, member: DemoMember): string {
  const expires = Math.floor((state.clock.now() + PICTURE_LIFETIME_MS) / 1000);
  const path = `/media/${member.id}/profile-displayphoto.svg?e=${expires}`;
  return `${state.baseUrl}${path}&t=${pictureSignature(state, path)}`;
}

// GET /media/{member}/profile-displayphoto.svg: an initials avatar
export function sendPicture(
  state: EmulatorState,
  url: URL,
  res: ServerResponse,
): void {
  const memberId = url.pathname.split("/")[2] ?? "";
  const member = findMember(memberId);
  const expires = Number(url.searchParams.get("e"));
  const path = `${url.pathname}?e=${url.searchParams.get("e") ?? ""}`;
  const expected = Buffer.from(pictureSignature(state, path));
  const given = Buffer.from(url.searchParams.get("t") ?? "");
  const valid =
    member !== undefined &&
    expected.length === given.length &&
    timingSafeEqual(expected, given) &&
    expires * 1000 > state.clock.now();
  if (!member || !valid) {
    res.writeHead(403, { "content-type": "text/plain" });
    res.end("URL signature expired");
    return;
  }

  const initials = member.givenName.charAt(0) + member.familyName.charAt(0);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">` +
    `<rect width="200" height="200" fill="#0a66c2"/>` +
    `<text x="100" y="125" font-size="80" text-anchor="middle" ` +
    `fill="#fff" font-family="sans-serif">${initials}</text></svg>`;
  res.writeHead(200, { "content-type": "image/svg+xml" });
  res.end(svg);
}

/**
 * Signs the id_token. LinkedIn's quirks are kept: `email_verified` and
 * `locale` are strings, and there is no `nonce` even when one was sent.
 * The `idTokenFault` switch breaks one check on purpose.
 */
export async function signIdToken(
  state: EmulatorState,
  member: DemoMember,
  scopes: string[],
): Promise<string> {
  const nowS = Math.floor(state.clock.now() / 1000);
  const claims: Record<string, string> = {};
  if (scopes.includes("profile")) {
    claims.name = fullName(member);
    claims.given_name = member.givenName;
    claims.family_name = member.familyName;
    claims.picture = pictureUrl(state, member);
  }
  if (scopes.includes("email")) {
    claims.email = member.email;
    claims.email_verified = "true";
  }
  claims.locale = "en_US";

  const fault = state.switches.idTokenFault;
  // LinkedIn's issuer was the bare origin before April 2024.
  const issuer = fault === "issuer" ? state.baseUrl : issuerOf(state);
  const { clientId } = state.options;
  const audience = fault === "audience" ? `${clientId}-other` : clientId;
  // An expired token was issued two lifetimes ago, so it expired one ago.
  const issuedAt = fault === "expired" ? nowS - 2 * ID_TOKEN_LIFETIME_S : nowS;
  // The key id stays that of the published key, so only the signature fails.
  const key =
    fault === "signature"
      ? (await generateKeyPair("RS256")).privateKey
      : state.signingKey.privateKey;

  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: state.signingKey.kid, typ: "JWT" })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(pairwiseSub(clientId, member.id))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ID_TOKEN_LIFETIME_S)
    .sign(key);
}

// GET /v2/userinfo: the signed-in member, with boolean email_verified
export function sendUserinfo(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const { token, member } = authenticate(state, req);
  if (!token.scopes.includes("openid")) {
    throw accessDenied("userinfo", "NO_VERSION");
  }

  const body: Record<string, unknown> = {
    sub: pairwiseSub(state.options.clientId, member.id),
  };
  if (token.scopes.includes("profile")) {
    body.name = fullName(member);
    body.given_name = member.givenName;
    body.family_name = member.familyName;
    body.picture = pictureUrl(state, member);
  }
  body.locale = { country: "US", language: "en" };
  if (token.scopes.includes("email")) {
    body.email = member.email;
    body.email_verified = true;
  }
  sendJson(res, 200, body);
}

// GET /v2/me: the legacy profile, which needs r_liteprofile or r_basicprofile
export function sendLegacyProfile(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const { token, member } = authenticate(state, req);
  const basic = token.scopes.includes("r_basicprofile");
  if (!basic && !token.scopes.includes("r_liteprofile")) {
    throw accessDenied("me", "NO_VERSION");
  }

  const localized = (text: string) => ({
    localized: { en_US: text },
    preferredLocale: { country: "US", language: "en" },
  });
  const body: Record<string, unknown> = {
    id: pairwiseSub(state.options.clientId, member.id),
    localizedFirstName: member.givenName,
    localizedLastName: member.familyName,
    firstName: localized(member.givenName),
    lastName: localized(member.familyName),
    profilePicture: {
      displayImage: `urn:li:digitalmediaAsset:${member.id}-profile-photo`,
    },
  };
  if (basic) {
    body.headline = localized(member.headline);
    body.localizedHeadline = member.headline;
    body.vanityName = member.vanityName;
  }
  sendJson(res, 200, body);
}
