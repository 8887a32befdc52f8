// Authorization codes, grants, access tokens and refresh tokens.

import { randomBytes } from "node:crypto";

export const CODE_LIFETIME_MS = 30 * 60 * 1000;
export const ACCESS_TOKEN_LIFETIME_S = 5_184_000; // 60 days
export const REFRESH_TOKEN_LIFETIME_MS = 365 * 86_400_000;
export const PENDING_AUTHORIZATION_LIFETIME_MS = 30 * 60 * 1000;

/** One member's consent to a scope set for the app. */
export type Grant = {
  memberId: string;
  /** Sorted scope names. */
  scopes: string[];
  /** Start of the refresh-token year, which refreshing never extends. */
  firstGrantedAt: number;
  /** Bumped when a new scope set replaces the old one. */
  generation: number;
};

export type AccessToken = {
  value: string;
  memberId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  generation: number;
  revoked: boolean;
};

export type RefreshToken = {
  value: string;
  memberId: string;
  scopes: string[];
  expiresAt: number;
  generation: number;
  revoked: boolean;
};

export type AuthorizationCode = {
  value: string;
  memberId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
};

/** An authorize request waiting for the tester to allow or cancel. */
export type PendingAuthorization = {
  id: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  expiresAt: number;
};

function opaque(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function sameScopes(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((s, i) => s === right[i]);
}

/** Holds every credential of the one registered app. */
export class TokenStore {
  readonly grants = new Map<string, Grant>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly pending = new Map<string, PendingAuthorization>();

  addPending(
    request: Omit<PendingAuthorization, "id" | "expiresAt">,
    now: number,
  ): PendingAuthorization {
    const pending = {
      ...request,
      id: opaque("req_"),
      expiresAt: now + PENDING_AUTHORIZATION_LIFETIME_MS,
    };
    this.pending.set(pending.id, pending);
    return pending;
  }

  /** Removes and returns a pending request that has not expired. */
  takePending(id: string, now: number): PendingAuthorization | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending && pending.expiresAt > now ? pending : undefined;
  }

  issueCode(
    memberId: string,
    redirectUri: string,
    scopes: string[],
    now: number,
  ): AuthorizationCode {
    const code = {
      value: opaque("AQ"),
      memberId,
      redirectUri,
      scopes,
      expiresAt: now + CODE_LIFETIME_MS,
      used: false,
    };
    this.codes.set(code.value, code);
    return code;
  }

  /**
   * Records consent to a scope set. A set that differs from the current
   * grant's starts a new grant. With `invalidate` on, the new grant also gets
   * a new generation, which makes every earlier token of the member invalid.
   */
  recordGrant(
    memberId: string,
    scopes: string[],
    now: number,
    invalidate: boolean,
  ): Grant {
    const current = this.grants.get(memberId);
    if (current && sameScopes(current.scopes, scopes)) return current;
    const generation = (current?.generation ?? 0) + (invalidate ? 1 : 0);
    const grant = { memberId, scopes, firstGrantedAt: now, generation };
    this.grants.set(memberId, grant);
    return grant;
  }

  issueAccessToken(grant: Grant, now: number): AccessToken {
    const token = {
      value: opaque("AQV"),
      memberId: grant.memberId,
      scopes: grant.scopes,
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_LIFETIME_S * 1000,
      generation: grant.generation,
      revoked: false,
    };
    this.accessTokens.set(token.value, token);
    return token;
  }

  issueRefreshToken(grant: Grant): RefreshToken {
    const token = {
      value: opaque("AQX"),
      memberId: grant.memberId,
      scopes: grant.scopes,
      expiresAt: grant.firstGrantedAt + REFRESH_TOKEN_LIFETIME_MS,
      generation: grant.generation,
      revoked: false,
    };
    this.refreshTokens.set(token.value, token);
    return token;
  }

  /** True when a newer scope set has invalidated the token's grant. */
  isSuperseded(token: { memberId: string; generation: number }): boolean {
    const grant = this.grants.get(token.memberId);
    return !grant || grant.generation !== token.generation;
  }

  clear(): void {
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.pending.clear();
  }
}
