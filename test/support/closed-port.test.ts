import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import test from 'node:test';
import { closedPort } from './closed-port.js';

test('closedPort: distinct ports that refuse connections, none of which a listen on port 0 can be given', async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => closedPort()));
  assert.equal(new Set(ports).size, ports.length, 'no port handed out twice');
  // A port 0 listener lands in the ephemeral range; every closed port lies below it.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ephemeral = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const [lowest] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  assert.ok(ephemeral >= lowest!, 'the kernel gave port 0 a port in its ephemeral range');
  for (const port of ports) assert.ok(port < lowest! && port >= 10_000, `${port} lies below the ephemeral range`);
  // And a server can still be started on one on purpose (the "office server comes back" tests do that).
  const revived = createServer();
  await new Promise<void>((resolve) => revived.listen(ports[0], '127.0.0.1', resolve));
  await new Promise<void>((resolve) => revived.close(() => resolve()));
});
