/**
 * The query key under which the browser keeps the signed-in frame of the
 * prerendered dashboard (lib/auth/account-header.ts's data and more).
 * Anything that changes the current workspace invalidates it.
 */
export const ACCOUNT_QUERY_KEY = ["account"] as const;
