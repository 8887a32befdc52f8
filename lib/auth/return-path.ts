// The page a person returns to after sign-in. Only a path on this site is
// accepted, so a crafted sign-in link cannot send anyone to another origin.

export const DEFAULT_RETURN_PATH = "/dashboard";

/** Request header the proxy sets to the requested path and query. */
export const REQUEST_PATH_HEADER = "x-inview-path";

/** Pages that need a signed-in person. The proxy sends a request without a session cookie to sign-in first. */
export const PROTECTED_PATH_PREFIXES = [
  "/dashboard",
  "/connections",
  "/team",
  "/audit",
  "/privacy",
  "/api-health",
  "/welcome",
];

const BASE = "http://inview.invalid";

/**
 * Returns `value` as a same-origin path with its query and fragment, or null
 * for anything else: absolute URLs, protocol-relative `//host`, backslashes
 * (browsers read `/\host` as `//host`), control characters and non-strings.
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 2048) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (value.includes("\\")) return null;
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return null;
  }
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Builds the sign-in URL that returns to `path` afterwards, if it is safe. */
export function signInPathFor(path: unknown): string {
  const safe = safeReturnPath(path);
  if (!safe || safe === DEFAULT_RETURN_PATH) return "/sign-in";
  return `/sign-in?next=${encodeURIComponent(safe)}`;
}

/** Tells whether a request path is a page that needs a signed-in person. */
export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PATH_PREFIXES.some(
    (prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
}
