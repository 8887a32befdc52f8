import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inlineScriptHashes, PrerenderedPages } from "./prerendered";

const sha = (text: string) =>
  `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;

describe("inlineScriptHashes", () => {
  it("hashes inline scripts and skips files", () => {
    const html =
      '<script src="/a.js" async=""></script><script id="_R_">first()</script>' +
      '<p>text</p><script>self.x=[1,"</p>"]</script><script>first()</script>';
    expect(inlineScriptHashes(html)).toEqual([
      sha("first()"),
      sha('self.x=[1,"</p>"]'),
    ]);
  });
});

describe("PrerenderedPages", () => {
  let distDir: string;
  const copyKey = "/route-cache/APP_PAGE/abc/$/dashboard";

  beforeEach(() => {
    distDir = fs.mkdtempSync(path.join(os.tmpdir(), "inview-build-"));
    const app = path.join(distDir, "server", "app");
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(
      path.join(distDir, "prerender-manifest.json"),
      JSON.stringify({ routes: { "/dashboard": {} } }),
    );
    fs.writeFileSync(
      path.join(app, "dashboard.html"),
      "<script>built()</script>",
    );
    fs.writeFileSync(
      path.join(app, "dashboard.meta"),
      JSON.stringify({ routeCache: { key: copyKey } }),
    );
  });
  afterEach(() => fs.rmSync(distDir, { recursive: true, force: true }));

  function writeCopy(html: string, mtime: Date) {
    const file = path.join(distDir, "server", `${copyKey}.html`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, html);
    fs.utimesSync(file, mtime, mtime);
  }

  it("knows only prerendered pages", () => {
    const pages = new PrerenderedPages(distDir);
    expect(pages.scriptHashes("/privacy")).toBeNull();
    expect(pages.scriptHashes("/dashboard")).toEqual([sha("built()")]);
  });

  it("follows the served copy when it changes", () => {
    const pages = new PrerenderedPages(distDir);
    writeCopy("<script>built()</script>", new Date(1_000_000));
    expect(pages.scriptHashes("/dashboard")).toEqual([sha("built()")]);

    writeCopy("<script>rendered()</script>", new Date(2_000_000));
    expect(pages.scriptHashes("/dashboard")).toEqual([
      sha("built()"),
      sha("rendered()"),
    ]);
  });

  it("has no pages without a build", () => {
    const pages = new PrerenderedPages(path.join(distDir, "missing"));
    expect(pages.scriptHashes("/dashboard")).toBeNull();
  });
});
