// Registry of the LinkedIn OAuth scopes Inview handles, used by the consent
// screen and to work out which metrics a grant can fill.

import {
  METRICS,
  METRIC_NAMES,
  type MetricName,
  type SubjectKind,
} from "@/lib/metrics/registry";

export type ScopeInfo = {
  /** LinkedIn product that grants the scope to an app. */
  product: string;
  /** Plain-words summary of what the scope allows, for the consent screen. */
  description: string;
  /** Inview features the scope turns on. */
  features: string[];
  /** Other scopes that grant at least the same reads. */
  alsoSatisfiedBy: string[];
  /** Set for scopes LinkedIn no longer grants to new apps. */
  deprecated: boolean;
};

const SIGN_IN_PRODUCT = "Sign In with LinkedIn using OpenID Connect";
const COMMUNITY_MANAGEMENT = "Community Management API";
const LEGACY_SIGN_IN = "Sign In with LinkedIn (legacy, deprecated 2023-08-01)";

function scope(
  product: string,
  description: string,
  features: string[],
  extra: Partial<Pick<ScopeInfo, "alsoSatisfiedBy" | "deprecated">> = {},
): ScopeInfo {
  return {
    product,
    description,
    features,
    alsoSatisfiedBy: extra.alsoSatisfiedBy ?? [],
    deprecated: extra.deprecated ?? false,
  };
}

export const SCOPES = {
  openid: scope(SIGN_IN_PRODUCT, "Confirm who you are when you sign in", [
    "Sign-in",
  ]),
  profile: scope(SIGN_IN_PRODUCT, "Read your name and profile picture", [
    "Your profile",
  ]),
  email: scope(SIGN_IN_PRODUCT, "Read your primary email address", [
    "Account email",
  ]),
  r_member_postAnalytics: scope(
    COMMUNITY_MANAGEMENT,
    "Read impressions, reach, reactions, comments and reshares of your posts",
    ["Member post analytics"],
  ),
  r_member_profileAnalytics: scope(
    COMMUNITY_MANAGEMENT,
    "Read how many people follow you and how that changes",
    ["Member follower analytics"],
  ),
  rw_organization_admin: scope(
    COMMUNITY_MANAGEMENT,
    "Read statistics of the company pages you administer",
    ["Company page analytics", "List of your company pages"],
    { alsoSatisfiedBy: ["r_organization_admin"] },
  ),
  r_organization_admin: scope(
    COMMUNITY_MANAGEMENT,
    "Read statistics of the company pages you administer, without write access",
    ["Company page analytics", "List of your company pages"],
  ),
  r_organization_social: scope(
    COMMUNITY_MANAGEMENT,
    "Read the posts of the company pages you administer",
    [],
  ),
  r_member_social: scope(
    "Restricted member social API",
    "Read your own posts",
    [],
  ),
  w_member_social: scope(
    "Share on LinkedIn",
    "Post on LinkedIn as you (Inview never requests this)",
    [],
  ),
  r_liteprofile: scope(
    LEGACY_SIGN_IN,
    "Read your name and profile picture",
    [],
    {
      deprecated: true,
    },
  ),
  r_emailaddress: scope(LEGACY_SIGN_IN, "Read your primary email address", [], {
    deprecated: true,
  }),
} satisfies Record<string, ScopeInfo>;

export type ScopeName = keyof typeof SCOPES;

export const SIGN_IN_SCOPES = ["openid", "profile", "email"] as const;

export const ANALYTICS_SCOPES = [
  "r_member_postAnalytics",
  "r_member_profileAnalytics",
  "rw_organization_admin",
] as const;

function scopeInfo(name: string): ScopeInfo | undefined {
  return Object.hasOwn(SCOPES, name) ? SCOPES[name as ScopeName] : undefined;
}

/**
 * Splits LinkedIn's granted scope string. The token endpoint separates scopes
 * with commas (`email,openid,profile`), and spaces are accepted too.
 */
export function parseGrantedScopes(scope: string | null | undefined): string[] {
  const names = (scope ?? "").split(/[\s,]+/).filter((name) => name !== "");
  return [...new Set(names)];
}

/** Reports whether the granted scopes cover `needed`, directly or by an equivalent. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed)) {
    return true;
  }
  const equivalents = scopeInfo(needed)?.alsoSatisfiedBy ?? [];
  return equivalents.some((name) => granted.includes(name));
}

/** Returns the needed scopes the grant does not cover, in the order given. */
export function missingScopes(
  granted: readonly string[],
  needed: readonly string[],
): string[] {
  return needed.filter((name) => !hasScope(granted, name));
}

/** Returns the metrics the granted scopes can fill for a subject kind. */
export function metricsEnabledBy(
  granted: readonly string[],
  kind: SubjectKind,
): MetricName[] {
  return METRIC_NAMES.filter((metric) => {
    const source = METRICS[metric].sources[kind];
    return source !== undefined && hasScope(granted, source.scope);
  });
}

/** Returns the metrics one scope fills, per subject kind. */
export function metricsOfScope(
  name: string,
): Record<SubjectKind, MetricName[]> {
  return {
    person: metricsEnabledBy([name], "person"),
    organization: metricsEnabledBy([name], "organization"),
  };
}
