/**
 * Numbers as the admin's browser writes them (`Intl.NumberFormat(undefined)`: "12,345" in en-US,
 * "12.345" in de-DE), one way on every screen: the Queue and Reports used to differ (the computer's
 * locale against a fixed en-US). Formatters are cached: building one costs more than formatting.
 */
const formatters = new Map<number, Intl.NumberFormat>();

function formatter(fractionDigits: number): Intl.NumberFormat {
  let cached = formatters.get(fractionDigits);
  if (!cached) {
    cached = new Intl.NumberFormat(undefined, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    formatters.set(fractionDigits, cached);
  }
  return cached;
}

/** "12,345": counts, grouped; a fraction is rounded away. */
export function formatCount(value: number): string {
  return formatter(0).format(value);
}

/** "4.2" (or "4,2"): a measure with exactly `fractionDigits` decimals, where toFixed would always write a point. */
export function formatDecimal(value: number, fractionDigits: number): string {
  return formatter(fractionDigits).format(value);
}
