import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureCategorySchema, type FailureCategory } from '../../../electron/contract/diagnosis-schema.js';
import { classifyAttempt, matchFailureClass, type AttemptFacts } from '../../../electron/engine/diagnosis/classify-attempt.js';
import { failureClasses } from '../../../electron/engine/diagnosis/failure-classes.js';
import { queueItemCategory } from '../../../electron/engine/diagnosis/queue-item-category.js';

interface Case {
  category: FailureCategory;
  /** Who sends this reply, for review. */
  source: string;
  facts: AttemptFacts;
  /** Expected row title, where a category has several rows. */
  title?: string;
}

/** A server reply: the code and enhanced code are read from the text, as the engine records them. */
const reply = (response: string, stage: AttemptFacts['stage'] = 'rcpt'): AttemptFacts => ({ response, stage });
/** A network error as the engine records it: no code, nodemailer's error code, the error text. */
const network = (errorCode: string, response: string, stage: AttemptFacts['stage'] = 'connect'): AttemptFacts => ({ code: null, enhancedCode: null, errorCode, response, stage });

const cases: Case[] = [
  { category: 'delivered', source: 'Postfix', facts: reply('250 2.0.0 Ok: queued as 4ABC123', 'done') },
  { category: 'delivered', source: 'Exchange', facts: reply('250 2.6.0 <m1@example.net> [InternalId=123] Queued mail for delivery', 'done') },
  { category: 'delivered', source: 'hMailServer', facts: reply('250 Queued (0.016 seconds)', 'done') },

  { category: 'connection-refused', source: 'Node, nothing listening', facts: network('ECONNECTION', 'connect ECONNREFUSED 192.0.2.10:25') },
  { category: 'connection-refused', source: 'Node via ESOCKET', facts: network('ESOCKET', 'connect ECONNREFUSED 127.0.0.1:2525') },
  { category: 'connection-refused', source: 'Node, host down', facts: network('ESOCKET', 'connect EHOSTUNREACH 192.0.2.10:25'), title: 'No route to the server' },

  { category: 'connection-timeout', source: 'nodemailer connect timeout', facts: network('ETIMEDOUT', 'Connection timeout') },
  { category: 'connection-timeout', source: 'nodemailer greeting timeout', facts: network('ETIMEDOUT', 'Greeting never received') },
  { category: 'connection-timeout', source: 'Node', facts: network('ESOCKET', 'connect ETIMEDOUT 192.0.2.10:25') },
  { category: 'connection-timeout', source: 'firewall reset', facts: network('ESOCKET', 'read ECONNRESET', 'data'), title: 'Connection dropped' },
  { category: 'connection-timeout', source: 'nodemailer', facts: network('ECONNECTION', 'Connection closed unexpectedly', 'data'), title: 'Connection dropped' },

  { category: 'dns-failure', source: 'getaddrinfo via nodemailer', facts: network('ESOCKET', 'getaddrinfo ENOTFOUND mail.example.invalid') },
  { category: 'dns-failure', source: 'engine lookup (EDNS)', facts: network('EDNS', 'getaddrinfo EAI_AGAIN mail.example.com') },
  { category: 'dns-failure', source: 'engine lookup timeout', facts: network('EDNS', 'DNS lookup of mail.example.com timed out after 30000 ms') },

  { category: 'tls-failure', source: 'Node TLS, self-signed', facts: network('ETLS', 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', 'tls'), title: 'Server certificate not trusted' },
  { category: 'tls-failure', source: 'Node TLS, chain', facts: network('ESOCKET', 'unable to verify the first certificate', 'tls'), title: 'Server certificate not trusted' },
  { category: 'tls-failure', source: 'Node TLS, old spelling', facts: network('ESOCKET', 'self signed certificate'), title: 'Server certificate not trusted' },
  { category: 'tls-failure', source: 'Node TLS, name', facts: network('ETLS', "Hostname/IP does not match certificate's altnames: Host: mail.example.com. is not in the cert's altnames: DNS:localhost", 'tls') },
  { category: 'tls-failure', source: 'TLS reset', facts: network('ETLS', 'Client network socket disconnected before secure TLS connection was established', 'tls'), title: 'Encryption (STARTTLS) failed' },
  { category: 'tls-failure', source: 'Postfix', facts: reply('530 5.7.0 Must issue a STARTTLS command first', 'mail'), title: 'The server requires or refused encryption' },
  { category: 'tls-failure', source: 'Postfix', facts: reply('454 4.7.0 TLS not available due to local problem', 'tls'), title: 'The server requires or refused encryption' },

  { category: 'rate-limited', source: 'Postfix anvil', facts: reply('421 4.7.0 mx.example.com Error: too many connections from 192.0.2.7', 'connect') },
  { category: 'rate-limited', source: 'MX Spool / smtp-server', facts: reply('421 4.7.0 Too many connections from your address, try again later', 'connect') },
  { category: 'rate-limited', source: 'Exchange', facts: reply('421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel', 'connect') },
  { category: 'rate-limited', source: 'Exchange MessageRateLimit', facts: reply('421 4.4.2 Message submission rate for this client has exceeded the configured limit', 'mail') },
  { category: 'rate-limited', source: 'Postfix', facts: reply('450 4.7.1 Error: too much mail from 192.0.2.7', 'mail') },
  { category: 'rate-limited', source: 'Exim', facts: reply('421 Too many concurrent SMTP connections; please try again later.', 'connect') },
  { category: 'rate-limited', source: 'Exim ratelimit', facts: reply('451 4.7.1 Sender rate overlimit - try again later', 'mail') },
  { category: 'rate-limited', source: 'hMailServer', facts: reply('421 Too many messages. Try again later.', 'mail') },
  { category: 'rate-limited', source: 'Sendmail', facts: reply('421 4.3.2 Connection rate limit exceeded.', 'connect') },
  {
    category: 'rate-limited',
    source: 'Microsoft 365',
    facts: reply('451 4.7.500 Server busy. Please try again later from [192.0.2.7]. (S77719) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]', 'rcpt'),
    title: 'Microsoft 365 is throttling this address',
  },
  {
    category: 'rate-limited',
    source: 'Gmail',
    facts: reply(
      '421-4.7.0 [192.0.2.7      15] Our system has detected an unusual rate of\n421-4.7.0 unsolicited mail originating from your IP address. To protect our\n421 4.7.0 users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
      'data',
    ),
    title: 'Gmail limited this address as a likely spam source',
  },
  { category: 'rate-limited', source: 'Gmail', facts: reply('421-4.7.28 Gmail has detected an unusual rate of mail originating from your IP address. - gsmtp', 'data') },
  { category: 'rate-limited', source: 'Postfix', facts: reply('452 4.5.3 Error: too many recipients', 'rcpt'), title: 'Too many recipients in one message' },

  { category: 'greylisted', source: 'Postfix + postgrey', facts: reply('450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.example.html') },
  { category: 'greylisted', source: 'Exim', facts: reply('451 4.7.1 Greylisted, please try again later') },
  { category: 'greylisted', source: 'Sendmail milter-greylist', facts: reply('451 4.7.1 Greylisting in action, please come back later') },
  { category: 'greylisted', source: 'hMailServer', facts: reply('451 Please try again later.') },
  { category: 'greylisted', source: 'rspamd', facts: reply('451 4.7.1 Try again later, greylisted') },

  { category: 'blocked-spam', source: 'Microsoft 365', facts: reply('550 5.7.606 Access denied, banned sending IP [192.0.2.7]. To request removal from this list please visit https://sender.office.com/ and follow the directions.', 'mail'), title: 'Microsoft 365 blocked this address' },
  { category: 'blocked-spam', source: 'Microsoft 365', facts: reply('550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', 'mail'), title: 'Microsoft 365 blocked this address' },
  { category: 'blocked-spam', source: 'Postfix RBL', facts: reply('554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.7'), title: 'This address is on a block list' },
  { category: 'blocked-spam', source: 'Exim', facts: reply('550 Rejected because 192.0.2.7 is in a black list at bl.spamcop.net'), title: 'This address is on a block list' },
  { category: 'blocked-spam', source: 'Gmail', facts: reply('550-5.7.1 [192.0.2.7] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp', 'data'), title: 'Refused as spam or by policy' },
  { category: 'blocked-spam', source: 'Exchange content filter', facts: reply('550 5.7.1 Message rejected as spam by Content Filtering.', 'data'), title: 'Refused as spam or by policy' },
  { category: 'blocked-spam', source: 'Gmail DMARC', facts: reply("550-5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy. - gsmtp", 'data'), title: 'Refused: sender authentication (SPF/DMARC) failed' },

  { category: 'relay-denied', source: 'Postfix', facts: reply('554 5.7.1 <a@example.com>: Relay access denied') },
  { category: 'relay-denied', source: 'Exchange', facts: reply('550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain') },
  { category: 'relay-denied', source: 'hMailServer', facts: reply('550 Delivery is not allowed to this address.') },

  { category: 'auth-required', source: 'Exchange', facts: reply('530 5.7.1 Client was not authenticated', 'mail'), title: 'The server wants a login' },
  { category: 'auth-required', source: 'Microsoft 365 (smtp.office365.com)', facts: reply('530 5.7.57 Client not authenticated to send mail. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]', 'mail'), title: 'The server wants a login' },
  { category: 'auth-required', source: 'Postfix submission', facts: reply('530 5.7.0 Authentication required', 'mail'), title: 'The server wants a login' },
  { category: 'auth-required', source: 'Postfix', facts: reply('535 5.7.8 Error: authentication failed: authentication failure', 'auth'), title: 'Login to the server failed' },
  { category: 'auth-required', source: 'Exchange anti-spoofing', facts: reply('550 5.7.1 Client does not have permissions to send as this sender', 'mail'), title: "Exchange refused mail in the domain's own name" },

  { category: 'sender-rejected', source: 'Postfix', facts: reply('450 4.1.8 <x@nowhere.example>: Sender address rejected: Domain not found', 'rcpt') },
  { category: 'sender-rejected', source: 'Postfix', facts: reply('553 5.1.8 <x@nowhere.example>: Sender address rejected: Domain not found', 'mail') },

  { category: 'mailbox-full', source: 'Gmail', facts: reply('452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp') },
  { category: 'mailbox-full', source: 'Exchange', facts: reply('554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', 'data') },
  { category: 'mailbox-full', source: 'Dovecot LMTP via Postfix', facts: reply('552 5.2.2 <bob@example.com> Quota exceeded (mailbox for user is full)', 'data') },
  { category: 'mailbox-full', source: 'hMailServer', facts: reply('452 Message exceeds the remaining quota of the mailbox.', 'data') },

  { category: 'unknown-recipient', source: 'Postfix', facts: reply('550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table') },
  { category: 'unknown-recipient', source: 'Exchange', facts: reply('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup') },
  { category: 'unknown-recipient', source: 'Microsoft 365 DBEB', facts: reply('550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]') },
  { category: 'unknown-recipient', source: 'hMailServer', facts: reply('550 Unknown user') },
  { category: 'unknown-recipient', source: 'Exim', facts: reply('550 Unrouteable address') },
  { category: 'unknown-recipient', source: 'Sendmail', facts: reply('550 5.1.1 <bob@example.com>... User unknown') },
  { category: 'unknown-recipient', source: 'Gmail', facts: reply("550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos - gsmtp") },

  { category: 'message-too-large', source: 'Exchange', facts: reply('552 5.3.4 Message size exceeds fixed maximum message size', 'data') },
  { category: 'message-too-large', source: 'Gmail', facts: reply("552-5.2.3 Your message exceeded Google's message size limits. - gsmtp", 'data') },
  { category: 'message-too-large', source: 'Microsoft 365', facts: reply('550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient', 'data') },
  { category: 'message-too-large', source: 'Exim', facts: reply('552 Message size exceeds maximum permitted', 'data') },
  { category: 'message-too-large', source: 'nodemailer SIZE check', facts: network('EMESSAGE', 'Message size larger than allowed 10240000', 'mail') },

  { category: 'server-shutting-down', source: 'Exchange', facts: reply('421 4.3.2 Service not available', 'connect') },
  { category: 'server-shutting-down', source: 'Postfix', facts: reply('421 4.3.0 mx.example.com Server shutting down', 'mail') },
  { category: 'server-shutting-down', source: 'Sendmail', facts: reply('421 4.3.0 mx.example.com Service not available, closing transmission channel', 'connect') },
  { category: 'server-shutting-down', source: 'MX Spool / smtp-server', facts: reply('421 4.3.2 Service shutting down, try again later', 'mail') },

  { category: 'server-error', source: 'Exchange back pressure', facts: reply('452 4.3.1 Insufficient system resources', 'mail') },
  { category: 'server-error', source: 'Exim', facts: reply('451 Temporary local problem - please try later', 'rcpt') },
  { category: 'server-error', source: 'Postfix', facts: reply('451 4.3.0 Error: queue file write error', 'data') },
  { category: 'server-error', source: 'Exchange', facts: reply('451 4.7.0 Temporary server error. Please try again later. PRX4', 'rcpt') },

  { category: 'suspended', source: 'MX Spool', facts: { errorCode: 'ESUSPENDED', response: 'Delivery temporarily suspended: 127.0.0.1:25: connect ECONNREFUSED 127.0.0.1:25', stage: 'connect' } },
  { category: 'suspended', source: 'MX Spool, text only (queue entry)', facts: { response: 'Delivery temporarily suspended: mail.example.com:25: Connection timeout' } },

  { category: 'other', source: 'MX Spool', facts: { errorCode: 'EROUTE', response: 'No mail server is configured for this domain' }, title: 'No mail server configured' },
  { category: 'other', source: 'Postfix, one recipient refused at RCPT', facts: { ...reply('250 2.0.0 Ok: queued as 4ABC123', 'done'), outcome: 'deferred' }, title: 'Accepted for some recipients only' },
  { category: 'other', source: 'unknown 4xx', facts: reply('450 Come back tomorrow') },
  { category: 'other', source: 'unknown 5xx', facts: reply('554 Transaction failed') },
];

describe('failure classes: real replies', () => {
  for (const { category, source, facts, title } of cases) {
    it(`${category}: ${source}: ${facts.response ?? facts.errorCode}`, () => {
      const row = matchFailureClass(facts);
      assert.equal(row.category, category);
      if (title !== undefined) assert.equal(row.title, title);
    });
  }

  it('has at least two real replies for every category, and every row is used by a case', () => {
    for (const category of failureCategorySchema.options) {
      assert.ok(cases.filter((entry) => entry.category === category).length >= 2, `${category} needs two cases`);
    }
    const used = new Set(cases.map((entry) => matchFailureClass(entry.facts)));
    const unused = failureClasses.filter((row) => !used.has(row) && !['Interrupted: MX Spool was stopping', 'Delivery problem'].includes(row.title));
    assert.deepEqual(unused.map((row) => row.title), []);
  });

  it('the last row catches anything, so every attempt gets a category', () => {
    assert.equal(matchFailureClass({}).category, 'other');
    assert.equal(matchFailureClass({ errorCode: 'EABORT', response: 'Delivery stopped: the connection pool is closed' }).title, 'Interrupted: MX Spool was stopping');
  });

  it('classifies the reply text alone as it classifies the full record, for replies (queue entries keep only the text)', () => {
    // A partial acceptance (2xx with outcome deferred) needs the outcome; a queue entry has its recipients' replies instead.
    for (const { facts } of cases.filter((entry) => entry.facts.code === undefined && entry.facts.outcome === undefined)) {
      assert.equal(matchFailureClass({ response: facts.response ?? null }).category, matchFailureClass(facts).category, facts.response ?? '');
    }
  });
});

describe('classifyAttempt', () => {
  it('fills in our source IP and the destination', () => {
    const diagnosis = classifyAttempt({ ...reply('421 4.7.0 Too many connections from your address, try again later', 'connect'), localAddress: '192.0.2.7', destination: 'mail.example.com:25' });
    assert.equal(diagnosis.category, 'rate-limited');
    assert.equal(diagnosis.title, 'Too many connections or messages');
    assert.match(diagnosis.explanation, /Your server limited connections or messages from 192\.0\.2\.7/);
    assert.match(diagnosis.fix, /^Exempt this address \(192\.0\.2\.7\) from connection rate limiting on its firewall or Exchange receive connector/);
    assert.doesNotMatch(JSON.stringify(diagnosis), /\{(source|thisAddress|destination)\}/);
  });

  it('says "this machine" when no connection was made, and "the office server" without a destination', () => {
    const diagnosis = classifyAttempt({ ...network('ETIMEDOUT', 'Connection timeout'), localAddress: null, destination: '' });
    assert.equal(diagnosis.category, 'connection-timeout');
    assert.match(diagnosis.explanation, /^The office server did not answer in time\./);
    assert.match(diagnosis.explanation, /from this machine/);
    assert.match(diagnosis.fix, /this machine's address/);
  });

  it('every row\'s texts use only the known placeholders, and fixes start with a word that reads in lower case after a colon', () => {
    for (const row of failureClasses) {
      for (const text of [row.title, row.explanation, row.fix, row.cause]) {
        const unknown = [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).filter((name) => !['source', 'thisAddress', 'destination'].includes(name!));
        assert.deepEqual(unknown, [], `${row.title}: ${text}`);
      }
      assert.match(row.fix, /^[A-Z][a-z]/, row.title);
    }
  });
});

describe('queueItemCategory', () => {
  it('prefers the reply of a recipient still waiting over lastResponse', () => {
    const item = {
      lastResponse: '250 2.0.0 Ok: queued as 4ABC',
      recipients: [
        { address: 'ok@example.com', status: 'delivered' as const, code: 250, response: '250 2.0.0 Ok: queued as 4ABC' },
        { address: 'busy@example.com', status: 'deferred' as const, code: 452, response: '452-4.2.2 The email account that you tried to reach is over quota.' },
      ],
    };
    assert.equal(queueItemCategory(item), 'mailbox-full');
  });

  it('falls back to lastResponse, and is null before any attempt', () => {
    const recipients = [{ address: 'a@example.com', status: 'deferred' as const, code: null, response: null }];
    assert.equal(queueItemCategory({ recipients, lastResponse: 'connect ECONNREFUSED 192.0.2.10:25' }), 'connection-refused');
    assert.equal(queueItemCategory({ recipients: [{ ...recipients[0]!, status: 'pending' }], lastResponse: null }), null);
  });
});
