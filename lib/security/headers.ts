// Security headers for every response, and the Content-Security-Policy for
// pages. Inline scripts run only with the per-request nonce, or on a page
// prerendered at build time with their SHA-256 hashes (no 'unsafe-inline');
// styles allow inline attributes because React and recharts set `style`.

export type PolicyInput = {
  /**
   * A page rendered for this request carries the nonce on its scripts. A
   * prerendered page cannot, so its inline scripts are allowed by hash
   * ("sha256-" and base64) and its script files by origin.
   */
  scripts: { nonce: string } | { hashes: string[] };
  /** Origin of LinkedIn's OAuth host: forms redirect there to sign in. */
  oauthOrigin: string;
  https: boolean;
  development: boolean;
};

export function contentSecurityPolicy(input: PolicyInput): string {
  // 'strict-dynamic' would ignore 'self', which the prerendered page's
  // <script src> tags need, since they carry neither nonce nor hash.
  const scripts =
    "nonce" in input.scripts
      ? [`'self'`, `'nonce-${input.scripts.nonce}'`, `'strict-dynamic'`]
      : [`'self'`, ...input.scripts.hashes.map((hash) => `'${hash}'`)];
  // React's development build evaluates code for its error overlays.
  if (input.development) scripts.push(`'unsafe-eval'`);
  const directives = [
    `default-src 'self'`,
    `script-src ${scripts.join(" ")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    // A form that signs in or connects redirects to LinkedIn.
    `form-action 'self' ${input.oauthOrigin}`,
    `frame-ancestors 'none'`,
  ];
  if (input.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export function staticSecurityHeaders(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (https)
    headers["Strict-Transport-Security"] =
      "max-age=63072000; includeSubDomains";
  return headers;
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * True when a state-changing request to a route handler comes from another
 * origin. Auth.js checks its own CSRF token, and Next.js checks the origin of
 * server actions, so both are left to them.
 */
export function isCrossOriginWrite(
  method: string,
  pathname: string,
  origin: string | null,
  appOrigin: string,
): boolean {
  if (!STATE_CHANGING.has(method)) return false;
  if (!pathname.startsWith("/api/") || pathname.startsWith("/api/auth/"))
    return false;
  return origin !== appOrigin;
}
