import { createHmac, timingSafeEqual } from "node:crypto";

// Keys derived from one secret (RECEIPT_SIGNING_KEY, else AUTH_SECRET) with
// a label each, so a receipt signature can never be replayed as a pseudonym.

function deriveKey(secret: string, label: string): Buffer {
  return createHmac("sha256", secret).update(label).digest();
}

/** JSON with object keys sorted at every depth, so a signature does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** HMAC-SHA256 of the canonical JSON of `payload`, hex. */
export function signPayload(payload: unknown, secret: string): string {
  return createHmac("sha256", deriveKey(secret, "inview deletion receipt v1"))
    .update(canonicalJson(payload))
    .digest("hex");
}

export function verifyPayload(
  payload: unknown,
  signature: string,
  secret: string,
): boolean {
  const expected = Buffer.from(signPayload(payload, secret), "hex");
  const actual = Buffer.from(signature, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A stable pseudonym for a user id in audit events kept after erasure: the
 * same person maps to the same value, and the id cannot be recovered from it
 * without the key.
 */
export function auditPseudonym(userId: string, secret: string): string {
  const digest = createHmac("sha256", deriveKey(secret, "inview audit v1"))
    .update(userId)
    .digest("hex");
  return `erased:${digest.slice(0, 24)}`;
}
