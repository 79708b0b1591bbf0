/**
 * `Date.parse(text)`, faster for the one form this engine writes everywhere: `Date#toISOString()`'s
 * `2026-11-28T15:04:20.702Z`. Every queue entry carries three such times and every log record one, and the
 * loops over them (the delivery scan, the minute's alert check, a report over a month of attempts) parse
 * them by the hundred thousand: `Date.parse` takes about 0.6 µs here, this about 0.25 µs. Anything else,
 * and any value it does not take for certain (a day past the 28th, a year before 1970), goes to
 * `Date.parse`, so the result is always the same (iso-time.test.ts compares the two).
 */
export function isoTimeMs(text: string): number {
  if (text.length !== 24 || text.charCodeAt(23) !== Z || text.charCodeAt(10) !== T) return Date.parse(text);
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON || text.charCodeAt(19) !== DOT) {
    return Date.parse(text);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millisecond = digits(text, 20, 3);
  // -1 marks a non-digit; the ranges are those every calendar month has.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millisecond < 0) {
    return Date.parse(text);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

const Z = 0x5a;
const T = 0x54;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;

/** The decimal number in text[start, start + count), or -1 if a character there is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
