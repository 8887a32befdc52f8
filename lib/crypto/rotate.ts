import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { linkedinGrants } from "../db/schema";
import { decryptSecret, encryptSecret, keyIdOf, type KeyRing } from "./tokens";

export type RotationResult = {
  examined: number;
  rotated: number;
  changedMeanwhile: number;
};

function reencrypt(value: string | null, ring: KeyRing): string | null {
  if (!value || keyIdOf(value) === ring.currentKeyId) return value;
  return encryptSecret(decryptSecret(value, ring), ring);
}

/**
 * Re-encrypts every stored LinkedIn token under the ring's current key, one
 * grant at a time. Each update applies only if the row still holds the
 * ciphertexts read, so a sync or reconnect writing meanwhile wins, and the
 * app keeps running because every key in the ring still decrypts.
 */
export async function rotateTokenKeys(
  database: Database,
  ring: KeyRing,
): Promise<RotationResult> {
  const result: RotationResult = {
    examined: 0,
    rotated: 0,
    changedMeanwhile: 0,
  };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const [grant] = await database
      .select({
        id: linkedinGrants.id,
        access: linkedinGrants.accessTokenEncrypted,
        refresh: linkedinGrants.refreshTokenEncrypted,
      })
      .from(linkedinGrants)
      .where(gt(linkedinGrants.id, after))
      .orderBy(asc(linkedinGrants.id))
      .limit(1);
    if (!grant) return result;
    after = grant.id;
    result.examined += 1;
    const access = reencrypt(grant.access, ring);
    const refresh = reencrypt(grant.refresh, ring);
    if (access === grant.access && refresh === grant.refresh) continue;
    const updated = await database
      .update(linkedinGrants)
      .set({ accessTokenEncrypted: access, refreshTokenEncrypted: refresh })
      .where(
        and(
          eq(linkedinGrants.id, grant.id),
          sql`${linkedinGrants.accessTokenEncrypted} is not distinct from ${grant.access}`,
          sql`${linkedinGrants.refreshTokenEncrypted} is not distinct from ${grant.refresh}`,
        ),
      )
      .returning({ id: linkedinGrants.id });
    if (updated.length) result.rotated += 1;
    else result.changedMeanwhile += 1;
  }
}
