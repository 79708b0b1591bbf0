import type { ServerResponse } from 'node:http';
import { AppError, type ErrorCode, type Result } from '../contract/app-error.js';
import { assertNever } from '../engine/runtime/assert-never.js';

/** The HTTP status for each stable error code; scripts should branch on `error.code`, the status is a hint. */
export function statusForErrorCode(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'SETTINGS_INVALID':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'STORAGE_ERROR':
    case 'INTERNAL':
      return 500;
    default:
      return assertNever(code);
  }
}

/** Sends a Result envelope: 200 for `{ok:true}`, the code's status for `{ok:false}`. */
export function sendResult(res: ServerResponse, result: Result<unknown>, headers: Record<string, string> = {}): void {
  sendJson(res, result.ok ? 200 : statusForErrorCode(result.error.code), result, headers);
}

/** Sends an error the host itself raised (before any handler ran), in the same envelope as handler errors. */
export function sendError(res: ServerResponse, error: AppError, status = statusForErrorCode(error.code), headers: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error: error.toShape() }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    // A JSON reply is never a document: no scripts, no framing, even if a browser is tricked into rendering it.
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(text);
}
