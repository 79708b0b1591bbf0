import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** The UI's policy: only our own scripts, no eval, no plugins, never framed (clickjacking). */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'";

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Resolves the UI folder once at start, so a wrong --static path fails loudly instead of serving 404s. */
export async function resolveStaticRoot(staticDir: string): Promise<string> {
  const root = await realpath(staticDir);
  if (!(await stat(root)).isDirectory()) throw new Error(`The UI folder ${staticDir} is not a folder`);
  return root;
}

/**
 * Serves a GET/HEAD for `pathname` (still percent-encoded) from `root`, which must come from
 * resolveStaticRoot. Paths without a file extension that match no file get index.html, so client-side
 * routes like /queue/abc survive a reload. Returns false when nothing matches (the caller answers 404).
 */
export async function serveStaticFile(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<boolean> {
  const file = await findFile(root, pathname);
  if (file === undefined) return false;
  const { size } = await stat(file);
  res.writeHead(200, {
    'Content-Type': mimeTypeFor(file),
    'Content-Length': String(size),
    'Content-Security-Policy': UI_CONTENT_SECURITY_POLICY,
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    // Headers are gone already; all that is left to do on a read error is cut the connection.
    stream.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return true;
}

async function findFile(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  // Refuse before touching the disk: NUL bytes, "..", and dotfiles (.env, .git) in any segment, with either
  // slash, since "%5c" decodes to a backslash that Windows treats as a separator; and any ":", which on
  // Windows makes a segment a drive ("c:") or an alternate data stream ("index.html::$DATA").
  const segments = decoded.split(/[\\/]+/).filter((segment) => segment !== '');
  if (/[\0:]/.test(decoded) || segments.some((segment) => segment.startsWith('.'))) return undefined;

  const candidate = path.resolve(root, ...segments);
  const found = (await regularFile(root, candidate)) ?? (await regularFile(root, path.join(candidate, 'index.html')));
  if (found !== undefined) return found;
  if (path.extname(decoded) === '') return regularFile(root, path.join(root, 'index.html'));
  return undefined;
}

/** The real path of `file` if it is a regular file inside root; symlinks pointing outside root do not count. */
async function regularFile(root: string, file: string): Promise<string | undefined> {
  try {
    const real = await realpath(file);
    if (real !== root && !real.startsWith(root + path.sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
