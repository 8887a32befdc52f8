import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native or WASM parts are loaded from
  // node_modules at run time instead of being bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg",
    "pg-boss",
    "pino",
    "pino-pretty",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  // Next.js 16.5 writes AGENTS.md files into the project on `next dev`.
  agentRules: false,
  experimental: {
    agentUpgrade: false,
    // The proxy buffers request bodies up to this size and cuts the rest
    // off silently. Uploads may be 10 MB, so the limit sits above that and
    // the import route can tell a person their file is too large.
    proxyClientMaxBodySize: "12mb",
  },
};

export default nextConfig;
