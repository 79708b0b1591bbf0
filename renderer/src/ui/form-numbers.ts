import type { z } from 'zod';

/**
 * Number fields are text inputs (`inputMode="decimal"`), not `type="number"`: Chromium reports "12a" in a
 * number input as an empty value, which would silently mean "use the default" instead of showing a reason.
 */

/** '' → undefined (left empty = use the default), else the number typed, NaN when it is not one. */
export function optionalNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : requiredNumber(trimmed);
}

/** '' → NaN, so an emptied required field gets "Enter a number" instead of silently keeping its old value. */
export function requiredNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.'); // a decimal comma, as typed in much of Europe
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

export function numberText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/**
 * Reasons for zod's generic number issues in words an admin reads at a glance ("Enter at most 1440"
 * instead of "Too big: expected number to be <=1440"). Messages written in the contract win over these.
 */
export const numberReasons: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a number';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Enter a whole number';
  if (issue.code === 'too_small' && issue.origin === 'number') return `Enter at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `Enter at most ${String(issue.maximum)}`;
  return undefined;
};
