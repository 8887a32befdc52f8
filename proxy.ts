import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import {
  contentSecurityPolicy,
  isCrossOriginWrite,
  staticSecurityHeaders,
} from "@/lib/security/headers";

// Runs before every request except static assets: rejects cross-origin
// writes to route handlers and sets the security headers with a fresh nonce.
export function proxy(request: NextRequest): NextResponse {
  const config = env();
  const appOrigin = new URL(config.appUrl).origin;
  const https = appOrigin.startsWith("https://");
  const { pathname } = request.nextUrl;

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

  const nonce = Buffer.from(
    crypto.getRandomValues(new Uint8Array(16)),
  ).toString("base64");
  const policy = contentSecurityPolicy({
    nonce,
    oauthOrigin: new URL(config.linkedin.oauthBase).origin,
    https,
    development: config.nodeEnv === "development",
  });

  // Next.js reads the policy from the request to put the nonce on its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
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
