import { describe, expect, it } from "vitest";
import { isProtectedPath, safeReturnPath, signInPathFor } from "./return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/dashboard?range=90&by=week", "/dashboard?range=90&by=week"],
    ["/team", "/team"],
    ["/connections/abc/reconcile#top", "/connections/abc/reconcile#top"],
    ["/a/../team", "/team"],
  ])("keeps same-origin path %s", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "//evil.example/dashboard",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "dashboard",
    "/\tevil",
    "/\\/evil.example",
    "",
  ])("rejects %j", (input) => {
    expect(safeReturnPath(input)).toBeNull();
  });

  it("rejects non-strings", () => {
    expect(safeReturnPath(undefined)).toBeNull();
    expect(safeReturnPath(["/team"])).toBeNull();
  });
});

describe("signInPathFor", () => {
  it("encodes the path and query", () => {
    expect(signInPathFor("/dashboard?range=90&by=week")).toBe(
      "/sign-in?next=%2Fdashboard%3Frange%3D90%26by%3Dweek",
    );
  });

  it("drops an unsafe path", () => {
    expect(signInPathFor("//evil.example")).toBe("/sign-in");
  });
});

describe("isProtectedPath", () => {
  it("matches pages and their children only", () => {
    expect(isProtectedPath("/dashboard")).toBe(true);
    expect(isProtectedPath("/connections/x/reconcile")).toBe(true);
    expect(isProtectedPath("/dashboards")).toBe(false);
    expect(isProtectedPath("/sign-in")).toBe(false);
    expect(isProtectedPath("/api/me/data")).toBe(false);
  });
});
