/** The message of a thrown value, for log fields and error texts (a thrown non-Error is stringified). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
