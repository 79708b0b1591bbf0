/**
 * CSV text as RFC 4180 describes it, for the report export. Pure: no DOM, so node:test covers it.
 *
 * - A field is quoted when it holds a comma, a double quote, CR or LF (RFC 4180 section 2, rules 6 and 7),
 *   with every quote inside doubled. Other fields are written as they are.
 * - Records end with CRLF (rule 2), the header row included.
 * - The text starts with a UTF-8 byte order mark: without it Excel reads the file as the ANSI code page
 *   and mangles every non-ASCII name ("Müller" → "MÃ¼ller").
 */
export type CsvValue = string | number | null;

const BYTE_ORDER_MARK = '\uFEFF';

export function csvField(value: CsvValue): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The whole file: byte order mark, header row, one record per row. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return BYTE_ORDER_MARK + csvRecord(header) + rows.map(csvRecord).join('');
}
