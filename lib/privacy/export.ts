import { createHash } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import { ZipArchive, type Archiver } from "archiver";
import type { Database } from "../db/client";
import { csvLine } from "./csv";
import { PERSONAL_DATA, type PersonalDataClass } from "./registry";
import { ownedRows, presentRow, tableName } from "./rows";

export type ManifestFile = {
  file: string;
  table: string;
  rows: number;
  bytes: number;
  sha256: string;
};

export type ExportManifest = {
  generatedAt: string;
  format: "inview-personal-data-export/1";
  files: ManifestFile[];
};

function jsonValue(value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Text of several rows, and how many rows it contains. */
type Chunk = { text: string; rows: number };

/**
 * Characters of text gathered before a chunk goes to the archive. Each chunk
 * is one write to zlib, which runs on the libuv thread pool, so one write
 * per row spends more time handing work to that pool than compressing.
 */
const CHUNK_CHARS = 64 * 1024;

/** Yields one class's file as text chunks of about CHUNK_CHARS each. */
async function* classChunks(
  database: Database,
  entry: PersonalDataClass,
  userId: string,
): AsyncGenerator<Chunk> {
  let header: string[] | null = null;
  let text = entry.format === "json" ? "[" : "";
  let rows = 0;
  let first = true;
  for await (const raw of ownedRows(database, entry, userId)) {
    const row = presentRow(entry, raw, userId);
    if (entry.format === "csv") {
      if (!header) {
        header = Object.keys(row);
        text += csvLine(header);
      }
      text += csvLine(header.map((key) => row[key]));
    } else {
      const json = JSON.stringify(row, (_key, value: unknown) =>
        jsonValue(value),
      );
      text += `${first ? "" : ","}\n${json}`;
    }
    first = false;
    rows += 1;
    if (text.length >= CHUNK_CHARS) {
      yield { text, rows };
      text = "";
      rows = 0;
    }
  }
  if (entry.format === "json") text += "\n]\n";
  if (text) yield { text, rows };
}

/** Streams one class into the archive and returns its manifest line once archiver has written it. */
async function appendClass(
  archive: Archiver,
  database: Database,
  entry: PersonalDataClass,
  userId: string,
): Promise<ManifestFile> {
  const hash = createHash("sha256");
  let bytes = 0;
  let rows = 0;
  const counted = async function* () {
    for await (const chunk of classChunks(database, entry, userId)) {
      const buffer = Buffer.from(chunk.text, "utf8");
      rows += chunk.rows;
      hash.update(buffer);
      bytes += buffer.length;
      yield buffer;
    }
  };
  const written = once(archive, "entry");
  archive.append(Readable.from(counted()), { name: entry.file });
  await written;
  return {
    file: entry.file,
    table: tableName(entry),
    rows,
    bytes,
    sha256: hash.digest("hex"),
  };
}

/**
 * Builds the person's data export as a ZIP stream: one file per registered
 * class and `manifest.json` with each file's row count and SHA-256. Files
 * are written one after another and each reads its rows page by page, so
 * memory does not grow with the amount of data.
 */
export function exportPersonalData(
  database: Database,
  userId: string,
  now: Date = new Date(),
  classes: PersonalDataClass[] = PERSONAL_DATA,
): Readable {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const output = new PassThrough();
  archive.on("error", (error) => output.destroy(error));
  archive.pipe(output);

  const fill = async () => {
    const files: ManifestFile[] = [];
    for (const entry of classes)
      files.push(await appendClass(archive, database, entry, userId));
    const manifest: ExportManifest = {
      generatedAt: now.toISOString(),
      format: "inview-personal-data-export/1",
      files,
    };
    archive.append(JSON.stringify(manifest, null, 2) + "\n", {
      name: "manifest.json",
    });
    await archive.finalize();
  };
  fill().catch((error: unknown) => {
    archive.abort();
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}
