import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeApi, type ApiHandlers, type EventSubscriber } from '../contract/api-handlers.js';
import { AppError } from '../contract/app-error.js';
import type { Logger, LogLevel } from '../engine/runtime/logger.js';
import { SSE_HEARTBEAT_MS, serveEventStream } from './event-stream.js';
import { sendError, sendResult } from './http-reply.js';
import { discardRestOfBody, readRequestBody } from './read-request-body.js';
import { LOOPBACK_HOSTS, allowedHostHeaders, bearerToken, checkedHost, isOwnOrigin, tokenMatches } from './request-guards.js';
import { resolveStaticRoot, serveStaticFile } from './static-files.js';
import { trackConnections, type ConnectionTracker } from './track-connections.js';

// 1 MiB: settings, a domain, or a selection of ~25,000 queue ids; `{domain}` selects more than that.
export const MAX_BODY_BYTES = 1024 * 1024;
/** After a 413, this much more of the refused body is read and dropped so the client sees the answer; past it the connection is cut. */
export const MAX_DISCARDED_BYTES = 16 * MAX_BODY_BYTES;

export type AdminServerOptions = {
  handlers: ApiHandlers;
  events: EventSubscriber;
  token: string;
  /** Loopback only: 127.0.0.1, ::1 or localhost. Anything else is refused at start. */
  host: string;
  /** 0 = any free port; the chosen one is in the result. */
  port: number;
  logger: Logger;
  /** Built UI to serve at `/`; without it only /api exists. */
  staticDir?: string;
  /** Interval of SSE comment lines; only tests change it. */
  sseHeartbeatMs?: number;
};

export type AdminServer = {
  /** Base URL, e.g. http://127.0.0.1:8025; the UI opens at `${url}/#token=...`. */
  url: string;
  port: number;
  /** Stops accepting, ends event streams, and resolves once open requests have finished. Safe to call twice. */
  close(): Promise<void>;
};

/**
 * Serves the API contract over HTTP on loopback, for the headless service and scripts. The security model:
 * the only credential is the token file (readable by the service's user only); Host and Origin checks stop
 * other web pages from reaching the API through the browser; no CORS, so no other origin can read replies.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { host, logger } = options;
  if (!LOOPBACK_HOSTS.includes(host.toLowerCase())) {
    throw new AppError('INVALID_INPUT', `The admin API listens on loopback only (127.0.0.1, ::1 or localhost), not on ${host}`);
  }
  if (options.token.length === 0) throw new AppError('INVALID_INPUT', 'The admin API needs a non-empty token');
  const staticRoot = options.staticDir === undefined ? undefined : await resolveStaticRoot(options.staticDir);

  const streams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  const context: RequestContext = {
    ...options,
    staticRoot,
    streams,
    allowedHosts: () => allowedHosts,
    heartbeatMs: options.sseHeartbeatMs ?? SSE_HEARTBEAT_MS,
  };
  const server = createServer((req, res) => void handleRequest(context, req, res));
  const connections = trackConnections(server);

  const port = await listen(server, host, options.port);
  allowedHosts = allowedHostHeaders(port);
  const urlHost = host === '::1' ? '[::1]' : host.toLowerCase();
  logger.log('info', 'ADMIN_HTTP_LISTENING', { host, port, ui: staticRoot !== undefined });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    // Idempotent: a shutdown path and a test's cleanup may both call it.
    close: () => (closing ??= closeServer(server, streams, connections)),
  };
}

type RequestContext = AdminServerOptions & {
  staticRoot: string | undefined;
  streams: Set<ServerResponse>;
  allowedHosts: () => Set<string>;
  heartbeatMs: number;
};

async function handleRequest(context: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomBytes(6).toString('hex');
  const startedMs = performance.now();
  const pathname = pathOf(req.url);
  res.once('close', () => logRequest(context.logger, req, res, requestId, pathname, startedMs));
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Stops other sites embedding our responses as no-cors subresources (script/img tags).
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  try {
    await route(context, req, res, requestId, pathname);
  } catch (err: unknown) {
    // The client hung up mid-request: nothing to answer, and the request line already says aborted.
    if (req.socket.destroyed) return;
    context.logger.log('error', 'ADMIN_HTTP_FAILED', {
      id: requestId,
      path: pathname,
      error: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    if (!res.headersSent) sendError(res, new AppError('INTERNAL', 'Internal error; see the log'));
    else res.destroy();
  }
}

async function route(context: RequestContext, req: IncomingMessage, res: ServerResponse, requestId: string, pathname: string): Promise<void> {
  const host = checkedHost(req, context.allowedHosts());
  if (host === undefined) {
    return sendError(res, new AppError('FORBIDDEN', 'Use http://127.0.0.1:<port>/ (or localhost) to reach the admin API'));
  }
  if (!isOwnOrigin(req, host)) {
    return sendError(res, new AppError('FORBIDDEN', 'Requests from other web pages are not allowed'));
  }

  if (pathname !== '/api' && !pathname.startsWith('/api/')) {
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (context.staticRoot !== undefined && isRead && (await serveStaticFile(req, res, context.staticRoot, pathname))) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return;
  }

  const isEventStream = pathname === '/api/events';
  // EventSource cannot set headers, so the stream alone also takes the token as ?token=.
  const presented = bearerToken(req) ?? (isEventStream ? tokenFromQuery(req.url) : undefined);
  if (!tokenMatches(context.token, presented)) {
    return sendError(res, new AppError('UNAUTHORIZED', 'Send the admin token as "Authorization: Bearer <token>"; it is in the admin-token file of the data folder'), 401, {
      'WWW-Authenticate': 'Bearer realm="mx-spool"',
    });
  }

  if (isEventStream || pathname === '/api/health') {
    if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET');
    if (pathname === '/api/health') return sendResult(res, { ok: true, value: { status: 'ok' } });
    context.streams.add(res);
    res.once('close', () => context.streams.delete(res));
    return serveEventStream(res, { events: context.events, logger: context.logger, requestId, heartbeatMs: context.heartbeatMs });
  }

  if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST');
  const body = await readJsonInput(req);
  if (body instanceof HttpInputError) {
    // A refused body may still be on its way: closing at once can reset the connection before the client
    // reads the answer (RFC 9112, 9.6), so the rest is read and thrown away, up to a bound.
    if (body.status === 413) discardRestOfBody(req, MAX_DISCARDED_BYTES);
    return sendError(res, body, body.status);
  }
  const method = pathname.slice('/api/'.length);
  sendResult(res, await invokeApi(context.handlers, method, body, context.logger));
}

/** An AppError with the HTTP status to use instead of the code's default (413, 415). */
class HttpInputError extends AppError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('INVALID_INPUT', message);
  }
}

async function readJsonInput(req: IncomingMessage): Promise<unknown> {
  const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== undefined && contentType !== 'application/json') {
    return new HttpInputError(415, 'Send the input as JSON, with "Content-Type: application/json"');
  }
  const body = await readRequestBody(req, MAX_BODY_BYTES);
  if (body === 'too-large') return new HttpInputError(413, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  // An empty body means "no input", so `curl -X POST .../api/stats.summary` works without -d '{}'.
  if (body.length === 0) return {};
  if (contentType === undefined) return new HttpInputError(415, 'Send the input as JSON, with "Content-Type: application/json"');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (err: unknown) {
    return new HttpInputError(400, `The request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  sendError(res, new AppError('INVALID_INPUT', `Use ${allow} for this path`), 405, { Allow: allow });
}

function pathOf(url: string | undefined): string {
  // Only the path: the query may hold the token (?token= for the event stream) and must not reach the log.
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

function tokenFromQuery(url: string | undefined): string | undefined {
  const query = url?.split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get('token') ?? undefined);
}

function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, requestId: string, pathname: string, startedMs: number): void {
  const status = res.statusCode;
  // Successful calls are routine (the UI polls); refusals are what an admin looks for.
  const level: LogLevel = status >= 500 ? 'error' : status === 401 || status === 403 ? 'warn' : status >= 400 ? 'info' : 'debug';
  logger.log(level, 'ADMIN_HTTP_REQUEST', {
    id: requestId,
    method: req.method,
    path: pathname.length > 200 ? `${pathname.slice(0, 200)}...` : pathname,
    status,
    ms: Math.round(performance.now() - startedMs),
    // A stream or reply cut short by the client, as opposed to one we finished.
    aborted: res.writableFinished ? undefined : true,
  });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server, streams: Set<ServerResponse>, connections: ConnectionTracker): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Event streams never end by themselves; without this close() would wait for every client to leave.
    for (const stream of streams) stream.end();
    connections.drain();
  });
}
