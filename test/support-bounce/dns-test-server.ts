import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';

/**
 * A minimal authoritative DNS responder on 127.0.0.1 (UDP, RFC 1035 4.1) for MX, A and AAAA questions,
 * so tests can point a real dns.promises.Resolver at it. Unknown names get NXDOMAIN; known names without
 * the asked type get an empty answer (NODATA); names listed in `servfail` get SERVFAIL.
 */
export interface TestZone {
  mx?: { preference: number; exchange: string }[];
  a?: string[];
  aaaa?: string[];
}

const TYPE = { A: 1, MX: 15, AAAA: 28 } as const;
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

export class DnsTestServer {
  private socket: Socket | null = null;
  readonly queries: { name: string; type: number }[] = [];

  constructor(
    private readonly zones: Record<string, TestZone>,
    private readonly servfail: string[] = [],
  ) {}

  /** Binds to an ephemeral port; returns `127.0.0.1:<port>` for Resolver.setServers. */
  async start(): Promise<string> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (message, remote) => {
      const reply = this.answer(message);
      if (reply) socket.send(reply, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${socket.address().port}`;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 12) return null;
    let offset = 12;
    const labels: string[] = [];
    for (let length = query[offset] ?? 0; length > 0; length = query[offset] ?? 0) {
      labels.push(query.toString('latin1', offset + 1, offset + 1 + length));
      offset += 1 + length;
    }
    offset += 1;
    const type = query.readUInt16BE(offset);
    const question = query.subarray(12, offset + 4);
    const name = labels.join('.').toLowerCase();
    this.queries.push({ name, type });

    const zone = this.zones[name];
    const records: Buffer[] = [];
    let rcode: number = RCODE.NOERROR;
    if (this.servfail.includes(name)) rcode = RCODE.SERVFAIL;
    else if (!zone) rcode = RCODE.NXDOMAIN;
    else if (type === TYPE.MX) for (const mx of zone.mx ?? []) records.push(resourceRecord(TYPE.MX, Buffer.concat([uint16(mx.preference), encodeName(mx.exchange)])));
    else if (type === TYPE.A) for (const address of zone.a ?? []) records.push(resourceRecord(TYPE.A, Buffer.from(address.split('.').map(Number))));
    else if (type === TYPE.AAAA) for (const address of zone.aaaa ?? []) records.push(resourceRecord(TYPE.AAAA, ipv6Bytes(address)));

    const head = Buffer.alloc(12);
    head.writeUInt16BE(query.readUInt16BE(0), 0); // same id
    head.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | rcode, 2); // QR, AA, copy RD
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(records.length, 6);
    return Buffer.concat([head, question, ...records]);
  }
}

/** An answer whose owner name points back at the question (compression pointer to offset 12). */
function resourceRecord(type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(300, 6); // TTL, s
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

/** "." is the root: the single zero byte of a null MX (RFC 7505). */
function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((label) => label !== '');
  return Buffer.concat([...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')])), Buffer.from([0])]);
}

function uint16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value, 0);
  return buffer;
}

function ipv6Bytes(address: string): Buffer {
  if (isIPv4(address)) throw new Error('IPv4 address given for AAAA');
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return Buffer.concat(groups.map((group) => uint16(parseInt(group, 16))));
}
