// tsx bench/export-child.ts DATABASE_URL USER_ID
//
// Streams one person's data export to the end in a process of its own, so
// the seeding done by the parent does not count towards its memory, and
// prints the figures as one JSON line on stdout.

import { sql } from "drizzle-orm";
import { exportPersonalData } from "@/lib/privacy/export";
import { openBenchDatabase } from "./database";
import { elapsedMs } from "./stats";

const SAMPLE_INTERVAL_MS = 50;

export type ExportChildFigures = {
  wallSeconds: number;
  zipBytes: number;
  idleRssMb: number;
  peakRssMb: number;
  /** Peak of the sampled RSS minus the idle RSS. */
  peakAboveIdleMb: number;
  /** process.resourceUsage().maxRSS at the end, minus the idle RSS. */
  maxRssAboveIdleMb: number;
  samples: number;
};

const MB = 1024 ** 2;

async function main(): Promise<void> {
  const [url, userId] = process.argv.slice(2);
  if (!url || !userId)
    throw new Error("usage: tsx bench/export-child.ts DATABASE_URL USER_ID");
  const handle = openBenchDatabase(url);
  try {
    // Opens a pool connection first, so the idle level includes the driver.
    await handle.db.execute(sql`select 1`);
    globalThis.gc?.();
    const idleRss = process.memoryUsage().rss;
    let peakRss = idleRss;
    let samples = 0;
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      samples += 1;
    }, SAMPLE_INTERVAL_MS);

    const start = process.hrtime.bigint();
    let zipBytes = 0;
    try {
      for await (const chunk of exportPersonalData(handle.db, userId)) {
        zipBytes += (chunk as Buffer).length;
      }
    } finally {
      clearInterval(timer);
    }
    const wallMs = elapsedMs(start);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const maxRss = process.resourceUsage().maxRSS * 1024;

    const figures: ExportChildFigures = {
      wallSeconds: wallMs / 1000,
      zipBytes,
      idleRssMb: idleRss / MB,
      peakRssMb: peakRss / MB,
      peakAboveIdleMb: (peakRss - idleRss) / MB,
      maxRssAboveIdleMb: (maxRss - idleRss) / MB,
      samples,
    };
    process.stdout.write(JSON.stringify(figures) + "\n");
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error("bench export child: failed:", error);
  process.exitCode = 1;
});
