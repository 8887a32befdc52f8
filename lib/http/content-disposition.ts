/**
 * Builds an attachment Content-Disposition (RFC 6266): an ASCII `filename`
 * for old clients and `filename*=UTF-8''` with the name percent-encoded
 * (RFC 8187), so names with any characters arrive intact.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename
    .normalize("NFKD")
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/["\\%;]/g, "_")
    .trim();
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback || "download"}"; filename*=UTF-8''${encoded}`;
}
