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
