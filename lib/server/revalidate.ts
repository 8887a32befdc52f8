import { revalidatePath } from "next/cache";

// The pages rendered per request that show connections, consents or what
// was collected under them.
const SERVER_RENDERED_PAGES = [
  "/connections",
  "/privacy",
  "/api-health",
  "/audit",
];

/**
 * Marks the server-rendered pages stale after a change to connections or
 * consents, so the browser's router loads them again. The prerendered
 * dashboard is left out: its HTML shows no data, and revalidating it would
 * render it anew at run time, with inline scripts that differ from the ones
 * its Content-Security-Policy allows by hash.
 */
export function revalidateAccountPages(): void {
  for (const page of SERVER_RENDERED_PAGES) revalidatePath(page);
}
