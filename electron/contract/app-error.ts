import { z } from 'zod';

/** Stable error codes: scripts may branch on them, so never rename one. */
export const errorCodeSchema = z.enum([
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'SETTINGS_INVALID',
  'STORAGE_ERROR',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const appErrorShape = z.object({
  code: errorCodeSchema,
  message: z.string().describe('What happened and what to do, in words an admin can act on.'),
  retryable: z.boolean(),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('For INVALID_INPUT and SETTINGS_INVALID: each field with the reason.'),
});
export type AppErrorShape = z.infer<typeof appErrorShape>;

/** An expected failure with a stable code. Thrown inside the engine, sent as data across every boundary. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly issues: { path: string; message: string }[] | undefined;

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; issues?: { path: string; message: string }[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.issues = options.issues;
  }

  toShape(): AppErrorShape {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** Turns zod issues into `{path, message}` pairs with dotted paths ("destinations.0.host"). */
export function issuesFromZod(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
