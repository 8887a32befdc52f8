import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DecryptionError,
  decryptSecret,
  encryptSecret,
  keyIdOf,
} from "./tokens";

const ring = (currentKeyId: string, ...ids: string[]) => ({
  currentKeyId,
  keys: new Map(ids.map((id) => [id, randomBytes(32)])),
});

describe("token encryption", () => {
  it("round-trips a token", () => {
    const keys = ring("k1", "k1");
    const encrypted = encryptSecret("AQV-secret-token", keys);
    expect(encrypted).not.toContain("AQV-secret-token");
    expect(decryptSecret(encrypted, keys)).toBe("AQV-secret-token");
  });

  it("uses a fresh IV each time", () => {
    const keys = ring("k1", "k1");
    expect(encryptSecret("same", keys)).not.toBe(encryptSecret("same", keys));
  });

  it("decrypts with an older key after rotation", () => {
    const old = ring("k1", "k1");
    const encrypted = encryptSecret("token", old);
    const rotated = {
      currentKeyId: "k2",
      keys: new Map([...old.keys, ["k2", randomBytes(32)]]),
    };
    expect(keyIdOf(encrypted)).toBe("k1");
    expect(decryptSecret(encrypted, rotated)).toBe("token");
    expect(keyIdOf(encryptSecret("token", rotated))).toBe("k2");
  });

  it("rejects a tampered ciphertext", () => {
    const keys = ring("k1", "k1");
    const parts = encryptSecret("token", keys).split(".");
    parts[4] = Buffer.from("forged").toString("base64url");
    expect(() => decryptSecret(parts.join("."), keys)).toThrow(DecryptionError);
  });

  it("rejects an unknown key id", () => {
    const encrypted = encryptSecret("token", ring("k1", "k1"));
    expect(() => decryptSecret(encrypted, ring("k9", "k9"))).toThrow(
      /not configured/,
    );
  });
});
