import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TranscriptEntry } from '../../../electron/contract/route-check-schema.js';
import { dialogueSteps } from '../../../electron/engine/route-check/dialogue-steps.js';
import { hideAuth } from '../../../electron/engine/route-check/transcript-recorder.js';

const client = (text: string, atMs: number): TranscriptEntry => ({ direction: 'client', text, atMs });
const server = (text: string, atMs: number): TranscriptEntry => ({ direction: 'server', text, atMs });
const info = (text: string, atMs: number): TranscriptEntry => ({ direction: 'info', text, atMs });

describe('dialogueSteps', () => {
  it('times each command to its reply, AUTH through its 334 continuations, STARTTLS through the handshake', () => {
    const steps = dialogueSteps(
      [
        info('Connected', 10),
        server('220 mx ESMTP', 12),
        client('EHLO spool', 13),
        server('250-mx\n250-STARTTLS\n250 SIZE 1000', 15),
        client('STARTTLS', 16),
        server('220 Go ahead', 17),
        info('Connection upgraded with STARTTLS', 30),
        client('EHLO spool', 31),
        server('250-mx\n250 AUTH LOGIN', 33),
        client('AUTH LOGIN', 34),
        server('334 VXNlcm5hbWU6', 35),
        client('<credentials hidden>', 36),
        server('334 UGFzc3dvcmQ6', 37),
        client('<credentials hidden>', 38),
        server('235 2.7.0 Accepted', 40),
        client('MAIL FROM:<>', 41),
        server('250 2.1.0 Ok', 42),
        client('RCPT TO:<a@b.example>', 43),
        server('450 4.2.0 Greylisted, try again in 5 minutes', 50),
      ],
      10,
      60,
    );
    assert.deepEqual(steps, [
      { step: 'banner', ok: true, durationMs: 2, detail: '220 mx ESMTP' },
      { step: 'ehlo', ok: true, durationMs: 2, detail: 'Offers STARTTLS, SIZE 1000' },
      { step: 'starttls', ok: true, durationMs: 15, detail: 'TLS handshake done' },
      { step: 'ehlo', ok: true, durationMs: 2, detail: 'Offers AUTH LOGIN' },
      { step: 'auth', ok: true, durationMs: 6, detail: '235 2.7.0 Accepted' },
      { step: 'mail', ok: true, durationMs: 1, detail: '250 2.1.0 Ok' },
      { step: 'rcpt', ok: false, durationMs: 7, detail: '450 4.2.0 Greylisted, try again in 5 minutes' },
    ]);
  });

  it('fails the step left open at the end: a handshake that never finished, a command without reply', () => {
    const handshake = dialogueSteps([server('220 mx', 1), client('EHLO s', 2), server('250 mx', 3), client('STARTTLS', 4), server('220 Go ahead', 5)], 0, 9);
    assert.deepEqual(handshake.at(-1), { step: 'starttls', ok: false, durationMs: 5, detail: 'TLS handshake failed' });
    const silent = dialogueSteps([], 0, 30);
    assert.deepEqual(silent, [{ step: 'banner', ok: false, durationMs: 30, detail: 'No reply' }]);
  });
});

describe('hideAuth', () => {
  it('keeps the AUTH verb and mechanism, nothing else', () => {
    assert.equal(hideAuth('AUTH PLAIN AHVzZXIAc2VjcmV0'), 'AUTH PLAIN <credentials hidden>');
    assert.equal(hideAuth('AUTH LOGIN'), 'AUTH LOGIN');
    assert.equal(hideAuth('dXNlcg=='), '<credentials hidden>');
  });
});
