import { describe, expect, it } from "vitest";
import { staleData } from "./freshness";

const now = new Date("2026-12-04T12:00:00Z");
const hoursAgo = (hours: number) =>
  new Date(now.getTime() - hours * 3_600_000).toISOString();

function connection(
  overrides: Partial<Parameters<typeof staleData>[0][number]> = {},
) {
  return {
    source: "api" as const,
    status: "active",
    syncState: "idle",
    lastSyncedAt: hoursAgo(2),
    ...overrides,
  };
}

describe("staleData", () => {
  it("returns null for a recent successful sync", () => {
    expect(staleData([connection()], now)).toBeNull();
  });

  it("reports a failed last sync with the latest sync time", () => {
    const result = staleData(
      [
        connection({ syncState: "failed", lastSyncedAt: hoursAgo(5) }),
        connection({ lastSyncedAt: hoursAgo(3) }),
      ],
      now,
    );
    expect(result).toEqual({ asOf: hoursAgo(3), reason: "sync_failed" });
  });

  it("reports a sync older than 36 hours", () => {
    const result = staleData([connection({ lastSyncedAt: hoursAgo(37) })], now);
    expect(result).toEqual({ asOf: hoursAgo(37), reason: "sync_old" });
  });

  it("accepts a sync of exactly 36 hours", () => {
    expect(
      staleData([connection({ lastSyncedAt: hoursAgo(36) })], now),
    ).toBeNull();
  });

  it("reports a failed first sync without a time", () => {
    const result = staleData(
      [connection({ syncState: "failed", lastSyncedAt: null })],
      now,
    );
    expect(result).toEqual({ asOf: null, reason: "sync_failed" });
  });

  it("ignores imports and paused connections", () => {
    const result = staleData(
      [
        connection({
          source: "import",
          lastSyncedAt: null,
          syncState: "failed",
        }),
        connection({ status: "paused", lastSyncedAt: hoursAgo(100) }),
      ],
      now,
    );
    expect(result).toBeNull();
  });
});
