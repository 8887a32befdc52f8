import { isIP } from "node:net";

/**
 * Returns the client's IP address from X-Forwarded-For, counting
 * `trustedProxyHops` entries from the right, because each trusted proxy
 * appends the address it received the request from and entries further left
 * are whatever the client sent. Returns null with no trusted proxy, or when
 * the entry is not an IP address.
 *
 * NOTE: Next.js route handlers do not expose the socket address, so without
 * a trusted proxy there is no client address that a client cannot forge.
 */
export function clientIp(
  headers: Headers,
  trustedProxyHops: number,
): string | null {
  if (trustedProxyHops < 1) return null;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return null;
  const candidate = entries[Math.max(0, entries.length - trustedProxyHops)];
  return candidate && isIP(candidate) ? candidate.toLowerCase() : null;
}
