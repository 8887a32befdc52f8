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
  experimental: { agentUpgrade: false },
};

export default nextConfig;
