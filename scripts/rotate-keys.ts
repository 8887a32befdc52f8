import "./load-dotenv";
import { rotateTokenKeys } from "../lib/crypto/rotate";
import { database } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { env } from "../lib/env";

// Re-encrypts every stored LinkedIn token under the first key of
// TOKEN_ENCRYPTION_KEYS. Put the new key first and keep the old ones listed
// until this has run; the app keeps working throughout, because every listed
// key decrypts. With the embedded database (PGlite) stop the app first, as
// only one process may open it.

const config = env();
const handle = database();
await migrateDatabase(handle);
const result = await rotateTokenKeys(handle.db, {
  keys: config.encryptionKeys,
  currentKeyId: config.currentKeyId,
});
console.log(
  `Examined ${result.examined} grants, re-encrypted ${result.rotated} under key "${config.currentKeyId}", ${result.changedMeanwhile} changed meanwhile (already rewritten by the app).`,
);
await handle.close();
