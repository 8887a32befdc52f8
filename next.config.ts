import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native or WASM parts are loaded from
  // node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss", "pino", "pino-pretty"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
