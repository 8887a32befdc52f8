import type { RunningEmulator } from "@/emulator/server";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import type { KeyRing } from "@/lib/crypto/tokens";
import type { Database } from "@/lib/db/client";
import { accounts } from "@/lib/db/schema";
import { recordAnalyticsConsent } from "@/lib/privacy/consent";
import { authorizeMember } from "./emulator";
import { createOwner } from "./fixtures";

/**
 * Signs a demo member in to a new workspace, records the analytics consent
 * and stores the grant, as the connect flow does. `scopes` defaults to what
 * the connect flow requests.
 */
export async function connectMember(
  database: Database,
  emulator: RunningEmulator,
  memberId: string,
  keyRing: KeyRing,
  scopes: readonly string[] = CONNECT_SCOPES,
) {
  const owner = await createOwner(database);
  const tokens = await authorizeMember(emulator, memberId, [...scopes]);
  // The same demo member may sign in to several test workspaces.
  await database
    .insert(accounts)
    .values({
      userId: owner.userId,
      type: "oidc",
      provider: "linkedin",
      providerAccountId: tokens.sub,
    })
    .onConflictDoUpdate({
      target: [accounts.provider, accounts.providerAccountId],
      set: { userId: owner.userId },
    });
  const consent = await database.transaction((tx) =>
    recordAnalyticsConsent(tx, { ...owner, scopes: tokens.scopes }),
  );
  const stored = await storeGrant(database, owner, {
    sub: tokens.sub,
    name: memberId,
    consentId: consent.id,
    tokens,
    keyRing,
  });
  return { owner, stored, tokens };
}

export async function setSwitches(
  emulator: RunningEmulator,
  switches: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/config`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(switches),
  });
  if (!response.ok)
    throw new Error(
      `emulator config: ${response.status} ${await response.text()}`,
    );
}

export async function setClock(
  emulator: RunningEmulator,
  now: Date,
): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ now: now.toISOString() }),
  });
  if (!response.ok) throw new Error(`emulator clock: ${response.status}`);
}
