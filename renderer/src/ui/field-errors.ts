import type { z } from 'zod';
import { ApiError } from '../api/api-client.js';

/** Field path ("destinations.0.host") → the reason, shown next to that field. */
export type FieldErrors = Record<string, string>;

/** The first message per field of a zod result, so the form shows the same reasons the engine would give. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    errors[path] ??= issue.message;
  }
  return errors;
}

/** Field reasons the engine returned with an INVALID_INPUT or SETTINGS_INVALID error. */
export function fieldErrorsFromApi(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (error instanceof ApiError) for (const issue of error.shape.issues ?? []) errors[issue.path] ??= issue.message;
  return errors;
}

/**
 * While the admin types: drop the reasons the edit fixed, keep (with fresh wording) those still true,
 * add none (new reasons wait for blur or submit). A reason that vanished only on blur would move the
 * Save button under the pointer between mouse-down and mouse-up, and the click would be lost.
 */
export function keepStillFailing(shown: FieldErrors, now: FieldErrors): FieldErrors {
  const kept: FieldErrors = {};
  for (const path of Object.keys(shown)) if (now[path] !== undefined) kept[path] = now[path];
  return kept;
}
