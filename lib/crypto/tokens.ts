import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM with a key id in every ciphertext, so keys can rotate: the
// current key encrypts, any known key decrypts.
// Format: v1.<kid>.<iv>.<tag>.<ciphertext>, each part base64url.

const FORMAT_VERSION = "v1";
const IV_BYTES = 12;

export type KeyRing = { keys: Map<string, Buffer>; currentKeyId: string };

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

export function encryptSecret(plaintext: string, ring: KeyRing): string {
  const key = ring.keys.get(ring.currentKeyId);
  if (!key)
    throw new Error(
      `Encryption key "${ring.currentKeyId}" is not in the key ring`,
    );
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // The key id is authenticated, so a ciphertext cannot be relabelled.
  cipher.setAAD(Buffer.from(ring.currentKeyId));
  const ciphertext = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
  ]);
  return [
    FORMAT_VERSION,
    ring.currentKeyId,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export function keyIdOf(encrypted: string): string {
  return encrypted.split(".")[1] ?? "";
}

export function decryptSecret(encrypted: string, ring: KeyRing): string {
  const [version, kid = "", iv = "", tag = "", ciphertext = ""] =
    encrypted.split(".");
  if (version !== FORMAT_VERSION) {
    throw new DecryptionError(`Unknown ciphertext format "${version}"`);
  }
  const key = ring.keys.get(kid);
  if (!key)
    throw new DecryptionError(`Encryption key "${kid}" is not configured`);
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      key,
      Buffer.from(iv, "base64url"),
    );
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new DecryptionError(
      `Ciphertext under key "${kid}" failed authentication`,
    );
  }
}
