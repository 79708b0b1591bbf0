import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeOfReplyCode, parseEnhancedCode, parseReplyCode } from '../../../electron/engine/delivery/smtp-reply.js';
import { stageOfCommand } from '../../../electron/engine/delivery/stage-of-command.js';

describe('SMTP reply helpers', () => {
  it('reads the reply code', () => {
    assert.equal(parseReplyCode('250 OK'), 250);
    assert.equal(parseReplyCode('421-mx busy\n421 try later'), 421);
    assert.equal(parseReplyCode('550'), 550);
    assert.equal(parseReplyCode('connect ECONNREFUSED 127.0.0.1:25'), null);
    assert.equal(parseReplyCode(null), null);
  });

  it('reads the RFC 3463 enhanced code only where RFC 2034 puts it', () => {
    assert.equal(parseEnhancedCode('550 5.1.1 <bob@office.example>: Recipient address rejected'), '5.1.1');
    assert.equal(parseEnhancedCode('452-4.2.2 Over quota\n452 4.2.2 Try later'), '4.2.2');
    assert.equal(parseEnhancedCode('250 2.0.0 Ok: queued as 4Xyz'), '2.0.0');
    assert.equal(parseEnhancedCode('554 5.7.1'), '5.7.1');
    assert.equal(parseEnhancedCode('250 OK: message queued by Exim 4.96.2'), null, 'a version number is not a status code');
    assert.equal(parseEnhancedCode('550 3.1.1 not a valid class'), null);
    assert.equal(parseEnhancedCode(null), null);
  });

  it('classifies by the first digit', () => {
    assert.equal(outcomeOfReplyCode(250), 'delivered');
    assert.equal(outcomeOfReplyCode(451), 'deferred');
    assert.equal(outcomeOfReplyCode(554), 'bounced');
    assert.equal(outcomeOfReplyCode(354), 'deferred');
  });

  it("maps nodemailer's error.command to a stage", () => {
    assert.equal(stageOfCommand('CONN'), 'connect');
    assert.equal(stageOfCommand('STARTTLS'), 'tls');
    assert.equal(stageOfCommand('EHLO'), 'ehlo');
    assert.equal(stageOfCommand('HELO'), 'ehlo');
    assert.equal(stageOfCommand('AUTH PLAIN'), 'auth');
    assert.equal(stageOfCommand('MAIL FROM'), 'mail');
    assert.equal(stageOfCommand('RCPT TO'), 'rcpt');
    assert.equal(stageOfCommand('DATA'), 'data');
    assert.equal(stageOfCommand('API'), null);
    assert.equal(stageOfCommand(undefined), null);
  });
});
