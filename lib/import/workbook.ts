// Reading untrusted spreadsheets: size, encryption, corruption, formulas,
// and the cell-level parsers for LinkedIn's text dates and text numbers.

import * as XLSX from "@e965/xlsx";
import type { IsoDay } from "../metrics/types";

/** Largest accepted upload, in bytes (10 MB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/**
 * A file that cannot be imported; the message names the fix. `cause` contains
 * the spreadsheet library's error, for the server log only.
 */
export class ImportFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImportFileError";
  }
}

export type Cell = string | number | boolean | null;
export type Rows = Cell[][];

/** Throws ImportFileError for a file too large, empty or not a workbook at all. */
export function checkUploadBytes(
  bytes: Uint8Array,
  fileName: string,
  maxBytes = MAX_IMPORT_BYTES,
): void {
  if (bytes.byteLength > maxBytes) {
    const megabytes = Math.round(maxBytes / 1024 / 1024);
    throw new ImportFileError(
      `${fileName} is larger than ${megabytes} MB. Export a shorter date range from LinkedIn.`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new ImportFileError(`${fileName} is empty.`);
  }
  if (!hasWorkbookSignature(bytes)) {
    throw new ImportFileError(
      `${fileName} is not an .xlsx or .xls workbook. Upload the file as LinkedIn exported it.`,
    );
  }
}

/**
 * Opens a workbook or throws ImportFileError. Formulas are rejected, because
 * LinkedIn's exports contain none and a formula cell would store what the
 * formula last computed on someone else's machine.
 */
export function openWorkbook(
  bytes: Uint8Array,
  fileName: string,
  maxBytes = MAX_IMPORT_BYTES,
): XLSX.WorkBook {
  checkUploadBytes(bytes, fileName, maxBytes);

  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: "array",
      cellFormula: true,
      cellHTML: false,
      cellDates: false,
      // A password-protected file makes the reader throw, not guess.
      password: "",
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/password|encrypt/i.test(text)) {
      throw new ImportFileError(
        `${fileName} is password-protected. Remove the password in your spreadsheet program, or download the export from LinkedIn again.`,
      );
    }
    throw new ImportFileError(
      `${fileName} is not a readable .xlsx or .xls workbook: it is damaged or is not a spreadsheet. Download the export from LinkedIn again and upload it unchanged, or open it in your spreadsheet program and save it as .xlsx.`,
      { cause: error },
    );
  }
  if (workbook.SheetNames.length === 0) {
    throw new ImportFileError(
      `${fileName} is not a readable .xlsx or .xls workbook. Download the export from LinkedIn again.`,
    );
  }
  rejectFormulas(workbook);
  return workbook;
}

/** ZIP (.xlsx) and OLE compound file (.xls) signatures. */
const SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04],
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
];

/**
 * True when the bytes start like a workbook. The reader also parses CSV,
 * HTML and other text formats, which no LinkedIn export uses.
 */
function hasWorkbookSignature(bytes: Uint8Array): boolean {
  return SIGNATURES.some((signature) =>
    signature.every((byte, index) => bytes[index] === byte),
  );
}

function rejectFormulas(workbook: XLSX.WorkBook): void {
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name];
    if (!sheet) continue;
    for (const [address, cell] of Object.entries(sheet)) {
      if (address.startsWith("!")) continue;
      if ((cell as XLSX.CellObject).f !== undefined) {
        throw new ImportFileError(
          `Sheet "${name}" cell ${address} contains a formula. LinkedIn's exports contain only values; upload the file as LinkedIn exported it.`,
        );
      }
    }
  }
}

/** Finds a sheet by name, ignoring case and surrounding spaces. */
export function findSheet(
  workbook: XLSX.WorkBook,
  name: string,
): Rows | undefined {
  const match = workbook.SheetNames.find(
    (candidate) => candidate.trim().toLowerCase() === name.toLowerCase(),
  );
  const sheet = match ? workbook.Sheets[match] : undefined;
  if (!sheet) return undefined;
  return XLSX.utils.sheet_to_json<Cell[]>(sheet, {
    header: 1,
    raw: true,
    defval: null,
    blankrows: true,
  });
}

export function requireSheet(workbook: XLSX.WorkBook, name: string): Rows {
  const rows = findSheet(workbook, name);
  if (!rows) {
    throw new ImportFileError(
      `The sheet "${name}" is missing. Upload the file as LinkedIn exported it.`,
    );
  }
  return rows;
}

export function normalizeHeader(value: Cell): string {
  return String(value ?? "")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
}

/** Returns the column index of each header, or throws naming the missing one. */
export function locateColumns<T extends string>(
  header: Cell[] | undefined,
  names: readonly T[],
  sheetName: string,
  rowNumber: number,
): Record<T, number> {
  const normalized = (header ?? []).map(normalizeHeader);
  const columns = {} as Record<T, number>;
  for (const name of names) {
    const index = normalized.indexOf(name.toLowerCase());
    if (index === -1) {
      throw new ImportFileError(
        `Sheet "${sheetName}" has no "${name}" column in row ${rowNumber}. Upload the file as LinkedIn exported it.`,
      );
    }
    columns[name] = index;
  }
  return columns;
}

/** A cell position for error messages: sheet name, 1-based row, 0-based column. */
export type CellPlace = { sheet: string; row: number; column: number };

function describePlace(place: CellPlace): string {
  return `sheet "${place.sheet}", row ${place.row}, column ${XLSX.utils.encode_col(place.column)}`;
}

/** Years a LinkedIn export can contain; LinkedIn launched in 2003. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * Parses LinkedIn's `M/D/YYYY` or `MM/DD/YYYY` text date. An Excel date
 * serial is accepted too, for files resaved by a spreadsheet program.
 */
export function parseExportDate(value: Cell, place: CellPlace): IsoDay {
  if (typeof value === "number" && Number.isInteger(value) && value > 0) {
    // Serials 36526 to 73415 are 2000-01-01 to 2100-12-31; the date code
    // parser misbehaves far outside them.
    if (value < 36_526 || value > 73_415) {
      throw new ImportFileError(
        `Invalid date "${value}" in ${describePlace(place)}: the year is outside ${FIRST_YEAR} to ${LAST_YEAR}.`,
      );
    }
    const ssf = XLSX.SSF as {
      parse_date_code(serial: number): { y: number; m: number; d: number };
    };
    const parsed = ssf.parse_date_code(value);
    return toIsoDay(parsed.y, parsed.m, parsed.d, value, place);
  }
  const match = US_DATE.exec(String(value ?? "").trim());
  if (!match) {
    throw new ImportFileError(
      `Invalid date "${String(value ?? "")}" in ${describePlace(place)}: expected M/D/YYYY.`,
    );
  }
  return toIsoDay(
    Number(match[3]),
    Number(match[1]),
    Number(match[2]),
    value,
    place,
  );
}

function toIsoDay(
  year: number,
  month: number,
  day: number,
  original: Cell,
  place: CellPlace,
): IsoDay {
  // Checked first, because Date.toISOString throws past year 275760.
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) {
    throw new ImportFileError(
      `Invalid date "${String(original)}" in ${describePlace(place)}: the year is outside ${FIRST_YEAR} to ${LAST_YEAR}.`,
    );
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  const iso = date.toISOString().slice(0, 10);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    throw new ImportFileError(
      `Invalid date "${String(original)}" in ${describePlace(place)}: no such calendar day.`,
    );
  }
  return iso;
}

/** Parses a count that may be text with grouping commas; blank reads as 0. */
export function parseExportCount(value: Cell, place: CellPlace): number {
  if (value === null || value === "") return 0;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  const text = String(value).trim().replace(/,/g, "");
  if (/^-?\d+$/.test(text)) return Number(text);
  throw new ImportFileError(
    `Invalid number "${String(value)}" in ${describePlace(place)}: expected a whole number.`,
  );
}

// C0 control characters other than tab, line feed and carriage return, and
// DEL. Postgres rejects NUL in text, and none belongs in a title or a URL.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Reads a text cell without control characters; null for blanks. */
export function readText(value: Cell): string | null {
  if (value === null) return null;
  const text = String(value).replace(CONTROL_CHARACTERS, "").trim();
  return text === "" ? null : text;
}

/** Reads a post link, which must be an http or https URL, or throws. */
export function readUrl(value: Cell, place: CellPlace): string | null {
  const text = readText(value);
  if (text === null) return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ImportFileError(
      `Invalid link "${text.slice(0, 80)}" in ${describePlace(place)}: expected an https:// URL.`,
    );
  }
  if (text.length > 2048) {
    throw new ImportFileError(
      `The link in ${describePlace(place)} is longer than 2048 characters.`,
    );
  }
  return text;
}
