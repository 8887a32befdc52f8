import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "emulator/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // next-auth imports "next/server" without the extension that Node's ESM
    // resolver needs, so Vite resolves it instead.
    server: { deps: { inline: ["next-auth"] } },
  },
});
