import assert from 'node:assert/strict';
import type { RunningService } from './headless-service.js';
import { waitFor } from './temp-dir.js';

/** The domain the reliability tests send to. */
export const TEST_DOMAIN = 'example.com';

/**
 * Points TEST_DOMAIN at a loopback destination (plain SMTP) with the shortest retry schedule the settings
 * allow (6 s), so a deferral is retried within a test, and without the free-space guard.
 */
export async function configureService(service: RunningService, destinationPort: number): Promise<void> {
  const settings = await service.call('settings.update', {
    retry: { firstRetryMinutes: 0.1, minIntervalMinutes: 0.1, maxIntervalMinutes: 0.1, probeIntervalMinutes: 0.5 },
    queue: { minFreeDiskMb: 0 },
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const domain = await service.call('domains.save', { name: TEST_DOMAIN, destinations: [{ host: '127.0.0.1', port: destinationPort, tls: 'none' }] });
  assert.equal(domain.status, 200, JSON.stringify(domain.body));
}

/** Resolves once nothing is queued or being delivered (after `queue.retry`, to skip the retry wait). */
export async function waitForEmptyQueue(service: RunningService, timeoutMs = 60_000): Promise<void> {
  await service.call('queue.retry', { domain: TEST_DOMAIN });
  await waitFor(
    async () => {
      const summary = (await service.call('stats.summary', {})).body.value as { queued: number; delivering: number } | undefined;
      return summary !== undefined && summary.queued === 0 && summary.delivering === 0;
    },
    timeoutMs,
    'the queue to drain',
  );
}

/** A text message of `lines` lines with this Message-ID; no line starts with a dot, so no dot-stuffing. */
export function testMessage(id: string, lines: number, random: () => number): Buffer {
  const text = [`From: sender@example.net`, `To: user@${TEST_DOMAIN}`, `Subject: test ${id}`, `Message-ID: ${id}`, ''];
  for (let line = 0; line < lines; line += 1) text.push(`${id} line ${line} ${Math.floor(random() * 1e12).toString(36).repeat(4)}`);
  return Buffer.from(text.join('\r\n') + '\r\n');
}

/** The destination got exactly the bytes sent, after the one Received header this spool adds. */
export function isOriginalWithReceived(delivered: Buffer, original: Buffer): boolean {
  if (delivered.length <= original.length || !delivered.subarray(delivered.length - original.length).equals(original)) return false;
  return /^Received: /.test(delivered.subarray(0, delivered.length - original.length).toString('latin1'));
}
