import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainSchema } from '../../../electron/contract/settings-schema.js';
import { RecipientPolicy } from '../../../electron/engine/intake/recipient-policy.js';

const destinations = [{ host: '127.0.0.1' }];
const policy = new RecipientPolicy([
  domainSchema.parse({ name: 'example.com', destinations }),
  domainSchema.parse({ name: 'bücher.example', destinations }),
  domainSchema.parse({ name: 'listed.example', destinations, acceptAllRecipients: false, recipients: ['alice', 'bob@listed.example', 'carol@other.example'] }),
  domainSchema.parse({ name: 'läden.example', destinations, acceptAllRecipients: false, recipients: ['erik@LÄDEN.example', ' Fritz@xn--lden-loa.example '] }),
  domainSchema.parse({ name: 'off.example', destinations, enabled: false }),
]);

function verdict(address: string): string {
  const result = policy.check(address);
  return 'domain' in result ? `ok ${result.domain.name}` : `${result.refusal.responseCode} ${result.refusal.message}`;
}

test('accepts recipients of configured enabled domains, case-insensitively and by IDN ASCII form', () => {
  assert.equal(verdict('user@example.com'), 'ok example.com');
  assert.equal(verdict('User@EXAMPLE.COM'), 'ok example.com');
  assert.equal(verdict('user@xn--bcher-kva.example'), 'ok bücher.example');
  assert.equal(verdict('user@BÜCHER.example'), 'ok bücher.example');
  assert.equal(verdict('user@bu\u0308cher.example'), 'ok bücher.example', 'decomposed (NFD) spelling of the same name');
});

test('refuses everything else as relaying, at RCPT time', () => {
  for (const address of [
    'user@other.example',
    'user@sub.example.com',
    'user@example.com.evil.test',
    'user@example.co',
    'user@example.com.',
    'user@[127.0.0.1]',
    'user%other.example@example.com',
    'other.example!user@example.com',
    '@example.com:user@other.example',
    '"user@other.example"@example.com',
    'user@off.example',
    'user@exampIe.com',
    // UTS #46 maps these onto example.com; they are not the name as configured (RFC 5890), so refused.
    'user@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com',
    'user@exam\u00adple.com',
    'user@exa\u034fmple.com',
  ]) {
    assert.equal(verdict(address), '550 5.7.1 Relaying denied', address);
  }
});

test('with a recipient list, unknown users get 550 5.1.1 and listed ones (local part or address) pass', () => {
  assert.equal(verdict('alice@listed.example'), 'ok listed.example');
  assert.equal(verdict('BOB@listed.example'), 'ok listed.example');
  assert.match(verdict('dave@listed.example'), /^550 5\.1\.1 /);
  assert.match(verdict('carol@listed.example'), /^550 5\.1\.1 /, 'listed for another domain only');
  // An entry names its domain in any form of it: Unicode, upper case, A-label, with spaces around.
  assert.equal(verdict('erik@xn--lden-loa.example'), 'ok läden.example');
  assert.equal(verdict('FRITZ@läden.example'), 'ok läden.example');
  assert.match(verdict('gustav@läden.example'), /^550 5\.1\.1 /);
});

test('malformed addresses get a syntax error', () => {
  assert.match(verdict('no-at-sign'), /^501 5\.1\.3/);
  assert.match(verdict('user@'), /^501 5\.1\.3/);
});

test('answers stay right when asked again, and after more made-up domains than it remembers', () => {
  const fresh = new RecipientPolicy([domainSchema.parse({ name: 'example.com', destinations })]);
  const answer = (address: string): string => {
    const result = fresh.check(address);
    return 'domain' in result ? `ok ${result.domain.name}` : String(result.refusal.responseCode);
  };
  for (let round = 0; round < 2; round += 1) {
    assert.equal(answer('a@example.com'), 'ok example.com');
    assert.equal(answer('a@EXAMPLE.com'), 'ok example.com');
    assert.equal(answer('a@ｅxample.com'), '550', 'a full-width spelling stays refused the second time too');
    assert.equal(answer('a@other.example'), '550');
    for (let index = 0; index < 2500; index += 1) assert.equal(answer(`a@walk${index}.example`), '550');
  }
});
