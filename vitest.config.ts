import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "emulator/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    // The operations tests run production processes; see vitest.ops.config.ts.
    exclude: [...configDefaults.exclude, "tests/ops/**"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // next-auth imports "next/server" without an extension, which Node's ESM
    // resolver rejects; bundling it through Vite resolves the import.
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
  },
});
