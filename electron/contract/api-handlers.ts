import type { z } from 'zod';
import { apiContract, isApiMethod, type ApiMethod, type ApiOutput, type ApiParsedInput } from './api-contract.js';
import { AppError, type AppErrorShape, type Result } from './app-error.js';
import type { EventName, EventPayload } from './events.js';

/** What the engine implements: one async function per contract method, receiving input already validated. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

/** Live events as the engine offers them to a host; `on` returns the unsubscribe function. */
export interface EventSubscriber {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * The slice of engine/runtime/logger.ts that invokeApi needs. Declared here because contract/ may import
 * only zod; the engine's Logger satisfies it structurally.
 */
export interface ApiErrorLogger {
  log(level: 'error', code: string, fields: Record<string, string | number | boolean | null | undefined>): void;
}

export type InputIssue = { path: string; message: string };

/**
 * The one place where a host turns (method name, untrusted input) into a Result. The IPC host and the HTTP
 * host both call it, so validation, error mapping and logging cannot drift apart between them.
 * Never throws: every failure comes back as `{ ok: false, error }`.
 */
export async function invokeApi(
  handlers: ApiHandlers,
  method: string,
  rawInput: unknown,
  logger: ApiErrorLogger,
): Promise<Result<unknown>> {
  if (!isApiMethod(method)) {
    return failure(new AppError('NOT_FOUND', `Unknown API method "${method}". See docs/api.md for the list.`));
  }
  const parsed = apiContract[method].input.safeParse(rawInput);
  if (!parsed.success) {
    const issues = inputIssues(parsed.error);
    const first = issues[0];
    const detail = first ? `: ${first.path === '' ? '' : `${first.path}: `}${first.message}` : '';
    return failure(new AppError('INVALID_INPUT', `Invalid input for ${method}${detail}`, { issues }));
  }
  // The mapped type cannot relate `handlers[method]` to the input of the same `method` when `method` is a
  // union, so the call goes through a widened signature; the contract parse above is what makes it safe.
  const handler = handlers[method] as ((input: unknown) => Promise<unknown>) | undefined;
  if (typeof handler !== 'function') {
    logger.log('error', 'API_HANDLER_MISSING', { method });
    return failure(internalError());
  }
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (err: unknown) {
    if (err instanceof AppError) return failure(err);
    // Unexpected: the stack goes to the log only, never to the caller (it may reveal paths and internals).
    logger.log('error', 'API_HANDLER_FAILED', {
      method,
      error: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    return failure(internalError());
  }
}

/**
 * Zod issues as `{path, message}` with dotted paths. Differs from issuesFromZod in two ways that matter to
 * someone fixing a request by hand: an unknown field is reported at its own path (zod puts it on the parent
 * object), and a failed union lists why each accepted form was rejected instead of a bare "Invalid input".
 */
export function inputIssues(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap((issue) => issueEntries(issue, []));
}

function issueEntries(issue: z.core.$ZodIssue, prefix: PropertyKey[]): InputIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: dotted([...path, key]), message: `Unknown field "${key}"` }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const forms = issue.errors.map(
      (branch, index) =>
        `${index + 1}) ${branch
          .flatMap((inner) => issueEntries(inner, []))
          .map((entry) => (entry.path === '' ? entry.message : `${entry.path}: ${entry.message}`))
          .join(', ')}`,
    );
    return [{ path: dotted(path), message: `Matches none of the accepted forms: ${forms.join('; ')}` }];
  }
  return [{ path: dotted(path), message: issue.message }];
}

function dotted(path: PropertyKey[]): string {
  return path.map(String).join('.');
}

function internalError(): AppError {
  return new AppError('INTERNAL', 'Internal error; see the log');
}

function failure(error: AppError): { ok: false; error: AppErrorShape } {
  return { ok: false, error: error.toShape() };
}
