import { spawn } from "node:child_process";
import { CONNECT_CALLBACK_PATH } from "../lib/connections/connect";
import { EnvError, loadEnv } from "../lib/env";

// Starts Next.js (`next dev` or `next start`) and, when no LinkedIn app is
// configured, the bundled LinkedIn emulator in this process. In embedded mode
// the job workers run inside the Next.js process (see lib/server/start.ts).

export async function runApp(mode: "dev" | "start"): Promise<void> {
  let config;
  try {
    config = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const appUrl = new URL(config.appUrl);
  const port = appUrl.port || "3000";
  // The development server is for this machine only unless HOST sets
  // another address. In production Next.js listens on every interface by
  // default, which a server behind a reverse proxy or in a container needs.
  const hostname = config.host ?? (mode === "dev" ? "127.0.0.1" : null);

  let closeEmulator: (() => Promise<void>) | null = null;
  const banner = [
    `\n  Inview is starting at ${config.appUrl}`,
    `  Listening on ${hostname ?? "every network interface"}, port ${port}${mode === "dev" && !config.host ? " (set HOST to listen elsewhere)" : ""}`,
    `  Database: ${config.databaseUrl ? "Postgres (DATABASE_URL)" : `PGlite in ${config.dataDir}/pglite`}`,
  ];
  if (config.linkedin.emulated) {
    const { startEmulator } = await import("../emulator/server");
    const { DEMO_MEMBERS, fullName } = await import("../emulator/members");
    const emulator = await startEmulator({
      port: config.emulatorPort,
      clientId: config.linkedin.clientId,
      clientSecret: config.linkedin.clientSecret,
      redirectUris: [
        `${config.appUrl}/api/auth/callback/linkedin`,
        `${config.appUrl}${CONNECT_CALLBACK_PATH}`,
      ],
    });
    closeEmulator = () => emulator.close();
    banner.push(
      `  LinkedIn: the local emulator at ${emulator.url}`,
      "  Demo members to sign in as:",
    );
    for (const member of DEMO_MEMBERS)
      banner.push(`    - ${fullName(member)} <${member.email}>`);
  } else {
    banner.push(
      `  LinkedIn: ${config.linkedin.oauthBase} and ${config.linkedin.apiBase}`,
    );
  }
  console.log(
    banner.join("\n") + `\n\n  Open ${config.appUrl} in your browser.\n`,
  );

  const args = ["next", mode, "--port", port];
  if (hostname) args.push("--hostname", hostname);
  const next = spawn("npx", args, {
    stdio: "inherit",
    // Next.js telemetry would send usage data off this machine unless the
    // person running it asked for it.
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
  });
  const shutdown = async (code: number) => {
    await closeEmulator?.();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      next.kill(signal);
    });
  }
  next.on("exit", (code) => void shutdown(code ?? 0));
}
