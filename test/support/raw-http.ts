import { request } from 'node:http';

export type RawHttpResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * One HTTP request to 127.0.0.1 with headers exactly as given, Host included (fetch may not set Host or
 * Origin freely). `streamed: true` resolves on the response headers and closes the connection, for replies
 * that never end (an event stream that was accepted); the body is then empty.
 */
export function rawHttp(options: {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  streamed?: boolean;
  /** false: send no Host header at all. */
  setHost?: boolean;
  /** A server that never answers fails the test with this request named instead of hanging it. */
  timeoutMs?: number;
}): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: options.port, path: options.path, method: options.method ?? 'GET', headers: options.headers, setHost: options.setHost ?? true, agent: false },
      (res) => {
        if (options.streamed && res.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const timeoutMs = options.timeoutMs ?? 15_000;
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${options.method ?? 'GET'} ${options.path.split('?')[0]}: no complete answer within ${timeoutMs} ms`)));
    req.end(options.body);
  });
}

/** The `error.code` of an `{ok:false}` JSON reply, or undefined for anything else. */
export function errorCodeOf(response: RawHttpResponse): string | undefined {
  try {
    return (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
