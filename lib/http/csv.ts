// CSV cells for files people open in spreadsheets (RFC 4180 quoting).

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula. */
const FORMULA_PREFIX = /^[=+\-@\t\r]/;

/**
 * Formats one cell. Numbers are written as numbers. A text cell that starts
 * like a formula gets a leading apostrophe, so a spreadsheet shows it as
 * text instead of running it (OWASP "CSV injection"), and a cell with a
 * comma, quote or line break is quoted.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Invalid CSV number ${value}`);
    return String(value);
  }
  const text = FORMULA_PREFIX.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: (string | number | null)[]): string {
  return cells.map(csvCell).join(",");
}

/** Streams CSV lines as UTF-8, each ended by CRLF, pulling one at a time. */
export function csvStream(lines: Iterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = lines[Symbol.iterator]();
  return new ReadableStream({
    pull(controller) {
      const next = iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${next.value}\r\n`));
    },
  });
}
