// npm run emulator: starts the LinkedIn emulator from environment variables
// and runs until SIGINT or SIGTERM.

import { z } from "zod";
import { DEFAULT_OPTIONS } from "./config";
import { DEMO_MEMBERS, fullName, personUrn } from "./members";
import { startEmulator } from "./server";

const envSchema = z.object({
  LINKEDIN_EMULATOR_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(4010),
  LINKEDIN_EMULATOR_SEED: z.coerce.number().int().default(DEFAULT_OPTIONS.seed),
  LINKEDIN_EMULATOR_REDIRECT_URIS: z
    .string()
    .default(DEFAULT_OPTIONS.redirectUris.join(",")),
  LINKEDIN_EMULATOR_CLIENT_ID: z
    .string()
    .min(1)
    .default(DEFAULT_OPTIONS.clientId),
  LINKEDIN_EMULATOR_CLIENT_SECRET: z
    .string()
    .min(1)
    .default(DEFAULT_OPTIONS.clientSecret),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(
      `Invalid LinkedIn emulator settings:\n${z.prettifyError(parsed.error)}`,
    );
    process.exit(1);
  }
  const env = parsed.data;
  const redirectUris = env.LINKEDIN_EMULATOR_REDIRECT_URIS.split(",")
    .map((uri) => uri.trim())
    .filter((uri) => uri !== "");

  const emulator = await startEmulator({
    port: env.LINKEDIN_EMULATOR_PORT,
    seed: env.LINKEDIN_EMULATOR_SEED,
    redirectUris,
    clientId: env.LINKEDIN_EMULATOR_CLIENT_ID,
    clientSecret: env.LINKEDIN_EMULATOR_CLIENT_SECRET,
  });

  const { clientId } = emulator.state.options;
  console.log(`LinkedIn emulator listening on ${emulator.url}`);
  console.log(`  OAuth base (www.linkedin.com): ${emulator.url}/oauth`);
  console.log(`  API base (api.linkedin.com):   ${emulator.url}`);
  console.log(`  client id: ${clientId}, seed: ${emulator.state.options.seed}`);
  console.log(`  redirect URIs: ${redirectUris.join(", ")}`);
  console.log("Demo members:");
  for (const member of DEMO_MEMBERS) {
    const pages = member.administeredOrganizations.length
      ? `, admin of urn:li:organization:${member.administeredOrganizations.join(", ")}`
      : "";
    console.log(
      `  ${fullName(member)} <${member.email}> ${personUrn(clientId, member)}${pages}`,
    );
  }

  const stop = (signal: string) => {
    console.log(`LinkedIn emulator stopping on ${signal}`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("LinkedIn emulator failed to stop cleanly", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("LinkedIn emulator failed to start", error);
  process.exit(1);
});
