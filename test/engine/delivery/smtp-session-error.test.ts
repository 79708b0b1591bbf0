import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SmtpSessionError } from '../../../electron/engine/delivery/smtp-session-error.js';

const at = { remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' };

describe('SmtpSessionError.responseText', () => {
  it('keeps a server reply exactly as sent', () => {
    const failure = SmtpSessionError.fromNodemailer(Object.assign(new Error('Mail command failed'), { code: 'EENVELOPE', response: '451 4.7.1 Too many messages, slow down', responseCode: 451 }), { stage: 'mail', ...at });
    assert.equal(failure.responseText, '451 4.7.1 Too many messages, slow down');
  });

  it('says what a socket timeout was waiting for (nodemailer only says "Timeout")', () => {
    const failure = SmtpSessionError.fromNodemailer(Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT', command: 'CONN' }), { stage: 'mail', ...at });
    assert.equal(failure.responseText, 'Timeout: no data from the server while waiting for the reply to MAIL FROM (socket timeout)');
  });

  it('turns OpenSSL\'s raw error line into the reason, keeping the system code', () => {
    const error = Object.assign(new Error('80FCC8C5177F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n'), {
      code: 'ETLS',
      originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER',
    });
    const failure = SmtpSessionError.fromNodemailer(error, { stage: 'tls', ...at });
    assert.equal(failure.responseText, 'TLS handshake failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)');
  });

  it('leaves other network errors as Node words them', () => {
    const failure = SmtpSessionError.fromNodemailer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), { stage: 'connect', ...at });
    assert.equal(failure.responseText, 'connect ECONNREFUSED 127.0.0.1:25');
  });
});
