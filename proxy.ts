import { NextResponse, type NextRequest } from "next/server";
import {
  isProtectedPath,
  REQUEST_PATH_HEADER,
  signInPathFor,
} from "@/lib/auth/return-path";
import { env } from "@/lib/env";
import {
  contentSecurityPolicy,
  isCrossOriginWrite,
  staticSecurityHeaders,
} from "@/lib/security/headers";
import { prerenderedScriptHashes } from "@/lib/security/prerendered";

// Auth.js's session cookie names, with and without Secure cookies.
const SESSION_COOKIES = [
  "authjs.session-token",
  "__Secure-authjs.session-token",
];

// Runs before every request except static assets: rejects cross-origin
// writes to route handlers, sends a request for a page without a session
// cookie to sign-in with the page as `next`, and sets the security headers
// with a fresh nonce.
export function proxy(request: NextRequest): NextResponse {
  const config = env();
  const appOrigin = new URL(config.appUrl).origin;
  const https = appOrigin.startsWith("https://");
  const { pathname, search } = request.nextUrl;

  if (
    isCrossOriginWrite(
      request.method,
      pathname,
      request.headers.get("origin"),
      appOrigin,
    )
  ) {
    return NextResponse.json(
      {
        error: {
          code: "cross_origin",
          message: "Cross-origin requests may not change data.",
        },
      },
      { status: 403, headers: staticSecurityHeaders(https) },
    );
  }

  // Only a shortcut: a cookie that is present but expired reaches the page,
  // which checks the session and redirects with the path from the header.
  if (
    request.method === "GET" &&
    isProtectedPath(pathname) &&
    !SESSION_COOKIES.some((name) => request.cookies.has(name))
  ) {
    const response = NextResponse.redirect(
      new URL(signInPathFor(`${pathname}${search}`), appOrigin),
    );
    for (const [name, value] of Object.entries(staticSecurityHeaders(https)))
      response.headers.set(name, value);
    return response;
  }

  const nonce = Buffer.from(
    crypto.getRandomValues(new Uint8Array(16)),
  ).toString("base64");
  const hashes =
    config.nodeEnv === "production" ? prerenderedScriptHashes(pathname) : null;
  const policy = contentSecurityPolicy({
    scripts: hashes ? { hashes } : { nonce },
    oauthOrigin: new URL(config.linkedin.oauthBase).origin,
    https,
    development: config.nodeEnv === "development",
  });

  // Next.js reads the policy from the request to put the nonce on its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  requestHeaders.set(REQUEST_PATH_HEADER, `${pathname}${search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(staticSecurityHeaders(https))) {
    response.headers.set(name, value);
  }
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
