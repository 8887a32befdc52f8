import yauzl from "yauzl";
import { ImportFileError } from "./workbook";

// An .xlsx file is a ZIP archive, and a few kilobytes of ZIP can inflate to
// gigabytes. The archive is checked here before the spreadsheet reader
// inflates any of it.

/** Largest total size of an archive's entries once inflated (100 MB). */
export const MAX_INFLATED_BYTES = 100 * 1024 * 1024;

/** Most entries accepted in one archive; LinkedIn's exports have about 20. */
export const MAX_ARCHIVE_ENTRIES = 1000;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    );
  });
}

/** Reads the central directory: each entry's name and declared inflated size. */
function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on("error", reject);
    zip.on("end", () => resolve(entries));
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > MAX_ARCHIVE_ENTRIES) {
        reject(
          new ImportFileError(`has more than ${MAX_ARCHIVE_ENTRIES} parts`),
        );
        return;
      }
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/**
 * Inflates one entry and discards the bytes. yauzl stops with an error as
 * soon as the data outgrows the size the central directory declares, so a
 * lying header cannot inflate more than the declared total.
 */
function drainEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      stream.on("error", reject);
      stream.on("end", resolve);
      stream.resume();
    });
  });
}

/**
 * Throws ImportFileError when a ZIP-based upload would inflate to more than
 * `maxInflatedBytes`, has too many entries, or is not a valid ZIP. Files that
 * are not ZIP archives (legacy .xls) pass through unchanged.
 */
export async function checkArchive(
  bytes: Uint8Array,
  fileName: string,
  maxInflatedBytes = MAX_INFLATED_BYTES,
): Promise<void> {
  if (!isZip(bytes)) return;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const megabytes = Math.round(maxInflatedBytes / 1024 / 1024);
  const tooLarge = new ImportFileError(
    `${fileName} inflates to more than ${megabytes} MB, which no LinkedIn export does. Download the export from LinkedIn again.`,
  );

  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip(buffer);
    const entries = await listEntries(zip);
    const declared = entries.reduce(
      (total, entry) => total + entry.uncompressedSize,
      0,
    );
    if (declared > maxInflatedBytes) throw tooLarge;
    zip.close();

    const open = await openZip(buffer);
    zip = open;
    await new Promise<void>((resolve, reject) => {
      open.on("error", reject);
      open.on("end", resolve);
      open.on("entry", (entry: yauzl.Entry) => {
        drainEntry(open, entry).then(() => open.readEntry(), reject);
      });
      open.readEntry();
    });
  } catch (error) {
    if (error === tooLarge) throw error;
    const detail =
      error instanceof ImportFileError
        ? error.message
        : error instanceof Error
          ? error.message
          : String(error);
    throw new ImportFileError(
      `${fileName} is not a readable .xlsx workbook (${detail}). Download the export from LinkedIn again.`,
    );
  } finally {
    zip?.close();
  }
}
