import { describe, expect, it } from "vitest";
import {
  auditPseudonym,
  canonicalJson,
  signPayload,
  verifyPayload,
} from "./signing";

const SECRET = "x".repeat(40);

describe("receipt signing", () => {
  it("ignores key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(
      '{"a":{"c":3,"d":2},"b":1}',
    );
  });

  it("verifies its own signature", () => {
    const payload = { removed: { users: 1 }, erasedAt: "2026-01-01" };
    expect(verifyPayload(payload, signPayload(payload, SECRET), SECRET)).toBe(
      true,
    );
  });

  it("rejects a changed count", () => {
    const signature = signPayload({ removed: { users: 1 } }, SECRET);
    expect(verifyPayload({ removed: { users: 2 } }, signature, SECRET)).toBe(
      false,
    );
  });

  it("rejects another key", () => {
    const signature = signPayload({ a: 1 }, SECRET);
    expect(verifyPayload({ a: 1 }, signature, "y".repeat(40))).toBe(false);
  });

  it("gives a stable pseudonym without the id", () => {
    const pseudonym = auditPseudonym("user-1", SECRET);
    expect(auditPseudonym("user-1", SECRET)).toBe(pseudonym);
    expect(pseudonym).not.toContain("user-1");
  });
});
