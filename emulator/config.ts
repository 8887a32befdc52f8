// Startup options and the runtime switches of the emulator. Switches can be
// changed while it runs through POST /__emulator/config.

import { z } from "zod";

export const SIGN_IN_SCOPES = ["openid", "profile", "email"] as const;

export const ANALYTICS_SCOPES = [
  "r_member_postAnalytics",
  "r_member_profileAnalytics",
  "r_organization_admin",
  "rw_organization_admin",
  "r_organization_social",
] as const;

/** Plain-words descriptions of every scope the authorize page can show. */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: "Use your name and photo to sign you in",
  profile: "Use your name and photo",
  email: "Use the primary email address of your account",
  r_member_postAnalytics: "Read the analytics of your posts",
  r_member_profileAnalytics: "Read your follower counts",
  r_organization_admin: "Read the pages you administer and their analytics",
  rw_organization_admin: "Manage the pages you administer and read analytics",
  r_organization_social: "Read the posts of the pages you administer",
  r_basicprofile: "Use your name, photo, headline and public profile URL",
  r_member_social: "Read your posts",
  w_member_social: "Create posts on your behalf",
  r_liteprofile: "Use your name and photo (legacy)",
  r_emailaddress: "Use your email address (legacy)",
};

export const ID_TOKEN_FAULTS = [
  "issuer",
  "audience",
  "signature",
  "expired",
] as const;

export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];

export const switchesSchema = z
  .object({
    /** Share of API calls that fail with a random 5xx, from 0 to 1. */
    errorRate: z.number().min(0).max(1),
    /** Share of API calls held open for `timeoutHoldMs`, then dropped. */
    timeoutRate: z.number().min(0).max(1),
    /** How long a timed-out call is held before its socket is closed, in ms. */
    timeoutHoldMs: z.number().int().min(0),
    /** Delay added before every API call is handled, in ms. */
    latencyMs: z.number().int().min(0),
    /** Versions (YYYYMM) rejected with 426 even within their year. */
    sunsetVersions: z.array(z.string().regex(/^\d{6}$/)),
    /** Member ids whose access tokens are rejected as expired (65600). */
    expiredMembers: z.array(z.string()),
    /** Member ids whose access tokens are rejected as revoked (65601). */
    revokedMembers: z.array(z.string()),
    /** Member ids that lose their ADMINISTRATOR role on every page. */
    missingPageRole: z.array(z.string()),
    /** When true, pages contain about half of `count` elements while more exist. */
    shortPages: z.boolean(),
    /** When true, token responses carry a refresh token, as for apps LinkedIn enabled. */
    refreshTokens: z.boolean(),
    /** When true, a new scope set for a member invalidates that member's older tokens. */
    invalidateOnScopeChange: z.boolean(),
    /** When true, a browser whose member already granted the same scopes skips the consent screen. */
    rememberConsent: z.boolean(),
    /** When true, responses carry Retry-After and X-RateLimit-* headers, which LinkedIn does not document. */
    rateLimitHeaders: z.boolean(),
    /** Calls per UTC day of the virtual clock for the whole app. */
    appDailyQuota: z.number().int().min(0),
    /** Calls per UTC day of the virtual clock for one member of the app. */
    memberDailyQuota: z.number().int().min(0),
    /** Scopes rejected with unauthorized_scope_error even when `allowedScopes` contains them. */
    unauthorizedScopes: z.array(z.string()),
    /**
     * A fault in every id_token issued: the issuer LinkedIn used before April
     * 2024, another client's audience, a signature by a key missing from the
     * JWKS, or an expiry in the past. Null issues valid id_tokens.
     */
    idTokenFault: z.enum(ID_TOKEN_FAULTS).nullable(),
    /** When true, every /oauth/ route answers 503, as during a LinkedIn outage. */
    oauthUnavailable: z.boolean(),
  })
  .strict();

export type EmulatorSwitches = z.infer<typeof switchesSchema>;

export const switchesPatchSchema = switchesSchema.partial();

export type EmulatorOptions = EmulatorSwitches & {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Listen address; loopback unless deliberately changed. */
  host: string;
  /** Seed of the analytics data and of the fault decisions. */
  seed: number;
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs; the authorize request must match one exactly. */
  redirectUris: string[];
  /** Scopes the app's products grant; others get unauthorized_scope_error. */
  allowedScopes: string[];
};

export const DEFAULT_SWITCHES: EmulatorSwitches = {
  errorRate: 0,
  timeoutRate: 0,
  timeoutHoldMs: 30_000,
  latencyMs: 0,
  sunsetVersions: [],
  expiredMembers: [],
  revokedMembers: [],
  missingPageRole: [],
  shortPages: false,
  refreshTokens: false,
  invalidateOnScopeChange: true,
  rememberConsent: false,
  rateLimitHeaders: false,
  // The development tier of Community Management allows 500 calls per app
  // and 100 per member per day.
  appDailyQuota: 500,
  memberDailyQuota: 100,
  unauthorizedScopes: [],
  idTokenFault: null,
  oauthUnavailable: false,
};

export const DEFAULT_OPTIONS: EmulatorOptions = {
  ...DEFAULT_SWITCHES,
  port: 0,
  host: "127.0.0.1",
  seed: 42,
  clientId: "inview-local",
  clientSecret: "inview-local-secret",
  redirectUris: [
    "http://localhost:3000/api/auth/callback/linkedin",
    "http://localhost:3000/api/connections/linkedin/callback",
  ],
  allowedScopes: [...SIGN_IN_SCOPES, ...ANALYTICS_SCOPES],
};

/** Picks the switch fields out of the options. */
export function switchesOf(options: EmulatorOptions): EmulatorSwitches {
  const switches = {} as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SWITCHES)) {
    const value = options[key as keyof EmulatorSwitches];
    switches[key] = Array.isArray(value) ? [...value] : value;
  }
  return switchesSchema.parse(switches);
}
