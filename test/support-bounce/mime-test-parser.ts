/**
 * A deliberately small MIME reader for tests (RFC 5322 header unfolding, RFC 2045 parameters and
 * quoted-printable, RFC 2046 multipart). It shares no code with nodemailer, so it checks what nodemailer
 * produced instead of agreeing with it.
 */

export interface MimePart {
  /** Lowercase field name → unfolded values, in order. */
  headers: Map<string, string[]>;
  /** Raw body, transfer encoding not undone. */
  body: string;
}

export function parsePart(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  return { headers: parseHeaderBlock(head), body };
}

/** Unfolds continuation lines (RFC 5322 2.2.3: CRLF followed by white space) and groups by name. */
export function parseHeaderBlock(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const field of head.split(/\r\n(?![ \t])/)) {
    if (field === '') continue;
    const colon = field.indexOf(':');
    if (colon < 0) throw new Error(`Not a header field: ${JSON.stringify(field)}`);
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).replace(/\r\n/g, '').trim();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return headers;
}

export function header(part: MimePart, name: string): string | undefined {
  return part.headers.get(name.toLowerCase())?.[0];
}

/** `type/subtype; a=b; c="d"` → { type, params } with lowercase type and parameter names. */
export function parseContentType(value: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const raw = param.slice(eq + 1).trim();
    params[param.slice(0, eq).trim().toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return { type: type.trim().toLowerCase(), params };
}

/** The body parts between `--boundary` lines, up to the closing `--boundary--` (RFC 2046 5.1.1). */
export function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split('\r\n');
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (line === `${delimiter}--`) {
      if (current) parts.push(current.join('\r\n'));
      return parts;
    }
    if (line === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  throw new Error(`No closing delimiter ${delimiter}--`);
}

/** Undoes Content-Transfer-Encoding: quoted-printable (RFC 2045 6.7), bytes decoded as UTF-8. */
export function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const input = text.replace(/=\r\n/g, '');
  for (let i = 0; i < input.length; i++) {
    const char = input[i] ?? '';
    if (char === '=' && /^[0-9A-F]{2}$/i.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function decodeBody(part: MimePart): string {
  const encoding = (header(part, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  if (encoding === 'base64') return Buffer.from(part.body, 'base64').toString('utf8');
  return part.body;
}
