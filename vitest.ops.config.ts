import path from "node:path";
import { defineConfig } from "vitest/config";

// The operations tests: production processes (`next start`, workers) on a
// real Postgres under failures, scale-out and load. They need the production
// build and TEST_DATABASE_URL; run them with `npm run test:ops`.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/ops/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
  },
});
