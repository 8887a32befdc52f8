import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Pages that `next build` prerendered are served from their HTML file, so
// their inline scripts carry no per-request nonce. The policy allows those
// scripts by their SHA-256 hashes, read from the build output and from the
// copy Next.js serves.

/** Returns the CSP source ("sha256-" and base64) of each inline script in the HTML. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (/\ssrc=/.test(attributes) || body === "") continue;
    hashes.push(
      `sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`,
    );
  }
  return [...new Set(hashes)];
}

type PrerenderManifest = { routes?: Record<string, unknown> };

/** The files of a prerendered page: its HTML in the build, and the copy Next.js serves. */
type PageFiles = { built: string; copy: string | null };

/** Reads the prerendered page paths of the build in `distDir` and their files. */
function prerenderedPages(distDir: string): Map<string, PageFiles> {
  const pages = new Map<string, PageFiles>();
  const manifestPath = path.join(distDir, "prerender-manifest.json");
  if (!fs.existsSync(manifestPath)) return pages;
  const manifest = JSON.parse(
    fs.readFileSync(manifestPath, "utf8"),
  ) as PrerenderManifest;
  for (const route of Object.keys(manifest.routes ?? {})) {
    const base = path.join(
      distDir,
      "server",
      "app",
      route === "/" ? "index" : route.slice(1),
    );
    if (fs.existsSync(`${base}.html`))
      pages.set(route, {
        built: `${base}.html`,
        copy: servedCopy(distDir, `${base}.meta`),
      });
  }
  return pages;
}

/**
 * Returns the file Next.js serves the page from once it has cached it.
 * Next.js 16.5 copies the build's HTML into its route cache on the first
 * request and renders it anew there when a path is revalidated, and the
 * page's .meta file names that entry.
 */
function servedCopy(distDir: string, metaFile: string): string | null {
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, "utf8")) as {
      routeCache?: { key?: string };
    };
    const key = meta.routeCache?.key;
    return key ? path.join(distDir, "server", `${key}.html`) : null;
  } catch {
    return null;
  }
}

type Hashed = { mtimeMs: number; hashes: string[] };

/**
 * The script hashes of the prerendered pages of one build. A page's policy
 * allows the scripts of the build's HTML and of the copy Next.js serves,
 * read again whenever that copy changes on disk.
 *
 * NOTE: after a revalidation Next.js served a new render whose scripts were
 * in neither file (seen once in the end-to-end tests), and the page did not
 * hydrate. When its copy reaches the disk is not known. Nothing revalidates
 * the prerendered pages (lib/server/revalidate.ts).
 */
export class PrerenderedPages {
  private readonly pages: Map<string, PageFiles>;
  private readonly hashed = new Map<string, Hashed>();

  constructor(distDir: string) {
    this.pages = prerenderedPages(distDir);
  }

  /** Returns the hashes for the page at `pathname`, or null when it is rendered per request. */
  scriptHashes(pathname: string): string[] | null {
    const files = this.pages.get(pathname);
    if (!files) return null;
    return [
      ...new Set([
        ...this.hashesOf(files.built),
        ...(files.copy ? this.hashesOf(files.copy) : []),
      ]),
    ];
  }

  private hashesOf(file: string): string[] {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return [];
    }
    const known = this.hashed.get(file);
    if (known && known.mtimeMs === mtimeMs) return known.hashes;
    const hashes = inlineScriptHashes(fs.readFileSync(file, "utf8"));
    this.hashed.set(file, { mtimeMs, hashes });
    return hashes;
  }
}

let running: PrerenderedPages | null = null;

/**
 * Returns the script hashes of the prerendered page at `pathname` in the running
 * build (`.next` in the working directory), or null when the page is
 * rendered per request.
 */
export function prerenderedScriptHashes(pathname: string): string[] | null {
  running ??= new PrerenderedPages(path.join(process.cwd(), ".next"));
  return running.scriptHashes(pathname);
}
