import type { AttemptOutcome, AttemptStage } from '../../contract/report-schema.js';
import type { FailureCategory } from '../../contract/diagnosis-schema.js';

/** An SMTP reply code, its class ('4xx'), or 'none' for an attempt without a reply (network, TLS, DNS). */
export type CodePattern = number | '2xx' | '4xx' | '5xx' | 'none';

/** Every field given must match (AND); within a list, any entry (OR). */
export interface FailureMatch {
  codes?: readonly CodePattern[];
  /** Tested against the RFC 3463 enhanced code, e.g. "4.7.0"; fails when there is none. */
  enhanced?: RegExp;
  /** Tested against the reply exactly as received, or the network error text; fails when there is none. */
  text?: RegExp;
  /** nodemailer's error code (ECONNECTION, ETIMEDOUT, ETLS, EDNS...) or our own (ESUSPENDED, EROUTE). */
  errorCodes?: readonly string[];
  stages?: readonly AttemptStage[];
  outcomes?: readonly AttemptOutcome[];
}

/**
 * One row of the table. Texts may name `{source}` (our source IP, or "this machine" when no connection was
 * made), `{thisAddress}` ("this address" / "these addresses" / "this machine's address") and `{destination}`
 * (host:port, or "the office server"). `cause` is a clause the domain summary follows with "on 38 of 40
 * attempts: <fix>", so `fix` starts with a verb that reads well in lower case.
 */
export interface FailureClass {
  category: FailureCategory;
  /** One match, or alternatives of which any may match. */
  match: FailureMatch | readonly FailureMatch[];
  title: string;
  explanation: string;
  fix: string;
  cause: string;
}

const NO_REPLY = ['none'] as const;
const REFUSALS = ['4xx', '5xx'] as const;

/**
 * Replies and network errors → category → advice, first match wins (ZoneMTA config/bounces.txt style).
 * Order matters: specific before generic (greylisting before "try again later", rate limits before
 * "closing transmission channel", relay and login refusals before the generic 5.7.1 policy row).
 * Test cases with the real replies behind each row: test/engine/diagnosis/failure-classes.test.ts.
 * The 'rate-limited' rows also decide adaptive throttling: a 4xx reply they match lowers the destination's
 * limits (delivery/limit-replies.ts), so a row added here slows delivery down too.
 */
export const failureClasses: readonly FailureClass[] = [
  {
    category: 'suspended',
    match: [{ errorCodes: ['ESUSPENDED'] }, { text: /^Delivery temporarily suspended:/ }],
    title: 'Waiting: the server was just unreachable',
    explanation: 'MX Spool did not connect: moments before, {destination} could not be reached, so mail for it waits a few minutes instead of trying again for every message.',
    fix: 'Look at the cause of the attempts that did connect; "Retry now" tries at once.',
    cause: 'Mail waited without connecting after the server was unreachable',
  },
  {
    // The message was accepted, but RCPT TO refused some recipients: their replies are per recipient.
    category: 'other',
    match: { codes: ['2xx'], outcomes: ['deferred', 'bounced'] },
    title: 'Accepted for some recipients only',
    explanation: '{destination} accepted the message but refused some of its recipients.',
    fix: 'See each refused recipient\'s own reply under the attempt in Reports, or in the message details.',
    cause: 'The server refused some recipients',
  },
  {
    category: 'delivered',
    match: { codes: ['2xx'] },
    title: 'Delivered',
    explanation: '{destination} accepted the message.',
    fix: 'Nothing to do.',
    cause: 'The server accepted mail',
  },
  {
    // nodemailer checks the server's advertised SIZE before sending (RFC 1870): no reply, error EMESSAGE.
    category: 'message-too-large',
    match: { errorCodes: ['EMESSAGE'], text: /size/i },
    title: 'Message too large for the server',
    explanation: 'The message is larger than {destination} announces it accepts, so it was not sent.',
    fix: 'Raise the maximum message size on the office server (Exchange: receive connector and transport limits; Postfix: message_size_limit), or ask the sender to send a smaller file.',
    cause: 'Messages were larger than the server accepts',
  },
  {
    category: 'other',
    match: { errorCodes: ['EABORT'] },
    title: 'Interrupted: MX Spool was stopping',
    explanation: 'The delivery was cut short because MX Spool was shutting down or its settings changed.',
    fix: 'Nothing to do: the message is tried again.',
    cause: 'Deliveries were interrupted while MX Spool stopped',
  },
  {
    category: 'other',
    match: { text: /^No mail server is configured for this domain/ },
    title: 'No mail server configured',
    explanation: 'This domain has no office server to forward its mail to.',
    fix: 'Enter the office server in the domain\'s Mail Server Settings.',
    cause: 'No mail server was configured',
  },
  {
    category: 'dns-failure',
    match: [{ errorCodes: ['EDNS'] }, { codes: NO_REPLY, text: /getaddrinfo|ENOTFOUND|EAI_AGAIN|ESERVFAIL|ENODATA|DNS lookup|No address found for|has no MX record/i }],
    title: 'Server name not found',
    explanation: 'The name of the office server in {destination} could not be looked up in DNS.',
    fix: 'Check the host name in the domain\'s Mail Server Settings for typos, or use the server\'s IP address; make sure this machine\'s DNS server can resolve it.',
    cause: 'The server\'s name could not be looked up',
  },
  {
    category: 'tls-failure',
    match: { codes: NO_REPLY, text: /certificate|self[- ]signed|CERT_|DEPTH_ZERO|altnames|Hostname\/IP does not match/i },
    title: 'Server certificate not trusted',
    explanation: 'The certificate {destination} presented for encryption (STARTTLS) was not accepted: it is self-signed, expired, or issued for another name.',
    fix: 'Install a certificate from a public authority for the server\'s name, or turn off "Verify certificate" for this destination if the server is on your own network.',
    cause: 'The server\'s certificate was not trusted',
  },
  {
    category: 'tls-failure',
    match: [{ errorCodes: ['ETLS'] }, { stages: ['tls'], codes: NO_REPLY }, { codes: NO_REPLY, text: /TLS|SSL|handshake|wrong version number/i }],
    title: 'Encryption (STARTTLS) failed',
    explanation: 'The encrypted connection to {destination} could not be set up.',
    fix: 'Check the TLS setting of this destination: set it to "none" if the server does not support encryption, or fix the server\'s TLS configuration.',
    cause: 'Encryption to the server failed',
  },
  {
    category: 'tls-failure',
    match: { codes: REFUSALS, text: /STARTTLS|TLS (is )?(required|not available)|encryption (is )?required/i },
    title: 'The server requires or refused encryption',
    explanation: '{destination} refused the session because of encryption (STARTTLS): it requires it, or could not offer it.',
    fix: 'Set this destination\'s TLS to "opportunistic" or "required" if the server demands encryption; if it says TLS is not available, fix the server\'s certificate setup.',
    cause: 'The server refused the session over encryption',
  },
  {
    category: 'connection-refused',
    match: { codes: NO_REPLY, text: /ECONNREFUSED|connection refused/i },
    title: 'Connection refused',
    explanation: 'Nothing accepted the connection at {destination}: the mail service is stopped, the port is wrong, or a firewall rejects it.',
    fix: 'Check that the office mail server is running and listens on that port, and that its firewall allows connections from {source}.',
    cause: 'Connections to the server were refused',
  },
  {
    category: 'connection-refused',
    match: { codes: NO_REPLY, text: /EHOSTUNREACH|ENETUNREACH|no route to host|network is unreachable/i },
    title: 'No route to the server',
    explanation: 'This machine has no network path to {destination}: the server is off, or the network or VPN to it is down.',
    fix: 'Check that the office server is on and reachable from this machine (ping it), and the VPN or routing between the two.',
    cause: 'There was no network route to the server',
  },
  {
    category: 'connection-timeout',
    match: [{ errorCodes: ['ETIMEDOUT'], codes: NO_REPLY }, { codes: NO_REPLY, text: /timed? ?out|timeout/i }],
    title: 'Connection timed out',
    explanation: '{destination} did not answer in time. A firewall that silently drops connections from {source} is the usual cause.',
    fix: 'Allow connections from {thisAddress} to the mail port on the office firewall (see "Our addresses"), and check that the server is up.',
    cause: 'Connections from {source} timed out',
  },
  {
    category: 'connection-timeout',
    match: [{ codes: NO_REPLY, text: /ECONNRESET|EPIPE|ECONNABORTED|socket hang up|closed unexpectedly|connection (was )?(closed|reset|dropped)|disconnected/i }, { codes: NO_REPLY, errorCodes: ['ECONNECTION', 'ESOCKET'] }],
    title: 'Connection dropped',
    explanation: 'The connection to {destination} was cut before the server answered. Firewalls and intrusion filters do this to connections they distrust, often from {source}.',
    fix: 'Exempt {thisAddress} from the office firewall\'s SMTP inspection or flood protection (see "Our addresses"), and check the server\'s log for crashes.',
    cause: 'Connections from {source} were dropped',
  },
  {
    category: 'greylisted',
    match: [{ text: /gr[ae]y-?list/i }, { codes: ['4xx'], text: /^4\d\d Please try again later\.?$/i }],
    title: 'Greylisted',
    explanation: '{destination} asks unknown senders to come back later (greylisting); a second try a few minutes later normally gets through.',
    fix: 'Nothing to do if it clears within an hour; to skip the wait, add {thisAddress} to the server\'s greylisting allowlist (see "Our addresses").',
    cause: 'Greylisting delayed mail from {source}',
  },
  {
    category: 'rate-limited',
    match: { text: /unusual rate of unsolicited mail|rate limited.*(spam|unsolicited)|low reputation/i },
    title: 'Gmail limited this address as a likely spam source',
    explanation: 'Google saw spam among the mail forwarded from {source} and slows it down.',
    fix: 'Add {thisAddress} as an inbound gateway in the Google Admin console (Apps › Google Workspace › Gmail › Spam, phishing and malware › Inbound gateway) so Gmail judges the original senders, not this spool.',
    cause: 'Gmail rate-limited {source} as a likely spam source',
  },
  {
    category: 'rate-limited',
    match: [{ enhanced: /^4\.7\.500$/ }, { codes: ['4xx'], text: /server busy/i }],
    title: 'Microsoft 365 is throttling this address',
    explanation: 'Exchange Online slows down mail from addresses it does not know yet, such as {source}.',
    fix: 'Wait: it usually clears within hours. To stop it coming back, add an inbound connector in the Exchange admin center (Mail flow › Connectors, from "Your organization\'s email server") that identifies this spool by {thisAddress}.',
    cause: 'Microsoft 365 throttled {source}',
  },
  {
    category: 'rate-limited',
    match: { codes: ['4xx'], text: /too many recipients/i },
    title: 'Too many recipients in one message',
    explanation: '{destination} takes only some recipients per message; the others are tried again.',
    fix: 'Nothing to do: the rest go on later attempts. To speed it up, raise the recipient limit (Exchange: MaxRecipientsPerMessage; Postfix: smtpd_recipient_limit).',
    cause: 'The server accepted only part of the recipients',
  },
  {
    category: 'rate-limited',
    match: [
      {
        codes: REFUSALS,
        text: /too many (\w+ ){0,2}(connections|sessions|messages|mails?|emails|errors)|too much mail|throttl|rate.?limit|over ?limit|connection (count )?limit|exceeded (a|the)( configured)? limit|maximum number of (\w+ )?connections|sending rate|too fast|slow down/i,
      },
      { enhanced: /^4\.7\.28$/ },
    ],
    title: 'Too many connections or messages',
    explanation: 'Your server limited connections or messages from {source}: it answered "too many" and asked to try later.',
    fix: 'Exempt {thisAddress} from connection rate limiting on its firewall or Exchange receive connector (see "Our addresses"); MX Spool already slows down meanwhile.',
    cause: 'Your server limited connections from {source}',
  },
  {
    category: 'blocked-spam',
    match: { enhanced: /^5\.7\.(51[0-3]|60[6-9]|6[1-4]\d|708|750)$/ },
    title: 'Microsoft 365 blocked this address',
    explanation: 'Exchange Online refuses mail from {source}: the address is on its ban list.',
    fix: 'Request removal of {thisAddress} at https://sender.office.com, and add an inbound connector for this spool in the Exchange admin center.',
    cause: 'Microsoft 365 refused mail from {source}',
  },
  {
    category: 'relay-denied',
    match: [{ enhanced: /^5\.7\.54$/ }, { codes: REFUSALS, text: /relay(ing)? (access )?(denied|not permitted|prohibited)|unable to relay|not permitted to relay|do not relay|delivery is not allowed to this address/i }],
    title: 'The server does not accept mail for this domain',
    explanation: '{destination} treats the recipients as outside its own domains and refuses to pass mail on (relay denied).',
    fix: 'Add the domain to the office server\'s accepted domains (Exchange: Accepted domains; Postfix: mydestination or virtual_mailbox_domains), or correct the destination in Mail Server Settings.',
    cause: 'The server did not accept mail for this domain',
  },
  {
    category: 'auth-required',
    match: [{ codes: [535] }, { enhanced: /^5\.7\.8$/ }, { errorCodes: ['EAUTH'] }],
    title: 'Login to the server failed',
    explanation: '{destination} refused the user name or password MX Spool logged in with.',
    fix: 'Check the user name and password in the domain\'s Mail Server Settings.',
    cause: 'The login to the server failed',
  },
  {
    category: 'auth-required',
    match: { codes: REFUSALS, text: /(not have permissions?|not authori[sz]ed) to send as/i },
    title: 'Exchange refused mail in the domain\'s own name',
    explanation: 'Exchange does not let an unauthenticated connection from {source} deliver mail whose sender is in one of its own domains.',
    fix: 'Allow anonymous senders on the receive connector {source} uses: Get-ReceiveConnector "<name>" | Add-ADPermission -User "NT AUTHORITY\\ANONYMOUS LOGON" -ExtendedRights ms-Exch-SMTP-Accept-Any-Sender',
    cause: 'Exchange refused mail in the domain\'s own name from {source}',
  },
  {
    category: 'auth-required',
    match: [{ codes: [530] }, { enhanced: /^5\.7\.57$/ }, { codes: REFUSALS, text: /authentication (is )?required|not authenticated|must (be authenticated|authenticate)|authenticate first/i }],
    title: 'The server wants a login',
    explanation: '{destination} accepts mail only after a login, and MX Spool connected from {source} without one.',
    fix: 'Let {thisAddress} send without a login (Exchange: a receive connector for it with Anonymous users permission; Postfix: add it to mynetworks), or enter a user name and password in Mail Server Settings.',
    cause: 'The server asked {source} for a login',
  },
  {
    category: 'mailbox-full',
    match: [{ enhanced: /^[45]\.2\.2$/ }, { codes: REFUSALS, text: /quota|mailbox (is )?full|storage allocation|insufficient (user )?storage (for|in)|mailbox size limit/i }],
    title: 'Mailbox full',
    explanation: 'The recipient\'s mailbox on {destination} is over its size limit.',
    fix: 'Ask the recipient to delete or archive mail, or raise their mailbox quota.',
    cause: 'Recipients\' mailboxes were full',
  },
  {
    category: 'sender-rejected',
    match: [{ enhanced: /^5\.1\.[78]$/ }, { codes: REFUSALS, text: /sender (address )?(rejected|denied|verify failed)|sender domain/i }],
    title: 'Sender refused',
    explanation: '{destination} refused the sender address, often because its domain does not exist (a forged sender on spam).',
    fix: 'Nothing to do for spam. For genuine mail, relax the office server\'s sender checks for {thisAddress} (Postfix: mynetworks is exempt from reject_unknown_sender_domain).',
    cause: 'The server refused the senders',
  },
  {
    category: 'unknown-recipient',
    match: [
      { enhanced: /^5\.1\.(0|1|10|6)$/ },
      { enhanced: /^5\.4\.1$/, text: /recipient|access denied/i },
      {
        codes: REFUSALS,
        text: /user unknown|unknown (user|recipient|address|local part)|no such (user|mailbox|recipient)|does ?n[o']t exist|recipient ?not ?found|invalid recipient|not a valid recipient|mailbox (unavailable|not found)|unrouteable address|user not found|address rejected/i,
      },
    ],
    title: 'Unknown recipient',
    explanation: '{destination} does not know the recipient address.',
    fix: 'Check the address with the sender. If it should exist, create the mailbox or alias on the office server; if MX Spool has a recipient list, keep it in step.',
    cause: 'Recipients were unknown to the server',
  },
  {
    category: 'message-too-large',
    match: [{ enhanced: /^[45]\.(3\.4|2\.3)$/ }, { codes: [552] }, { codes: REFUSALS, text: /too (big|large)|size (limit|exceeds)|exceeds? (the )?(\w+ ){0,2}size/i }],
    title: 'Message too large',
    explanation: 'The message is larger than {destination} accepts.',
    fix: 'Raise the maximum message size on the office server (Exchange: receive connector and transport limits; Postfix: message_size_limit), or ask the sender to send a smaller file.',
    cause: 'Messages were larger than the server accepts',
  },
  {
    category: 'blocked-spam',
    match: { codes: REFUSALS, text: /\bSPF\b|DMARC|DKIM|unauthenticated|not pass authentication/i },
    title: 'Refused: sender authentication (SPF/DMARC) failed',
    explanation: '{destination} checked the original sender\'s SPF or DMARC against {source}, which is not one of that sender\'s servers because this spool relays the mail.',
    fix: 'Tell the office server to trust {thisAddress} as your own relay so it checks the original connection (Exchange Online: enhanced filtering for connectors; Postfix/rspamd: add it to mynetworks or the local allowlist).',
    cause: 'Sender authentication (SPF/DMARC) failed for mail relayed from {source}',
  },
  {
    category: 'blocked-spam',
    match: { codes: REFUSALS, text: /blocked using|block ?list|black ?list|\bRBL\b|DNSBL|spamhaus|spamcop|barracuda|listed (at|in|on|by)|banned|reputation|client host rejected|access denied/i },
    title: 'This address is on a block list',
    explanation: '{destination} refused mail from {source} because the address is on a block list or has a poor reputation.',
    fix: 'Exempt {thisAddress} from block-list checks on the office server (see "Our addresses"), and request delisting from the list named in the reply.',
    cause: '{source} was refused as listed on a block list',
  },
  {
    category: 'blocked-spam',
    match: [{ codes: REFUSALS, text: /spam|unsolicited|junk|content (filter|rejected)|suspicious|virus|malware|policy/i }, { enhanced: /^5\.7\.1$/ }],
    title: 'Refused as spam or by policy',
    explanation: '{destination} refused the message as spam or under a local policy.',
    fix: 'Check the server\'s spam filter log for the reason; exempt {thisAddress} from spam checks if the office server filters mail again after this spool.',
    cause: 'The server refused mail as spam or by policy',
  },
  {
    category: 'server-shutting-down',
    match: [{ enhanced: /^4\.3\.2$/ }, { codes: [421] }, { codes: ['4xx'], text: /shutting down|closing transmission channel|service (not available|unavailable)/i }],
    title: 'Server unavailable',
    explanation: '{destination} is shutting down, restarting or not accepting mail right now.',
    fix: 'Wait, or check that the mail service on the office server is running normally (Exchange: the transport services; back pressure in the event log).',
    cause: 'The server was unavailable',
  },
  {
    category: 'server-error',
    match: [{ enhanced: /^4\.3\.[01]$/ }, { codes: ['4xx'], text: /local problem|local error|insufficient (system )?(resources|storage)|temporar(y|ily) (server |system )?(error|failure|problem|unavailable)|internal (server )?error|resources? temporarily unavailable/i }],
    title: 'Temporary problem on the server',
    explanation: '{destination} had a problem of its own (disk space, memory, a filter or database) and asked to try later.',
    fix: 'Check free disk space and the mail log on the office server; MX Spool keeps retrying.',
    cause: 'The server had a temporary problem of its own',
  },
  {
    category: 'other',
    match: { codes: ['4xx'] },
    title: 'Temporary refusal',
    explanation: '{destination} refused for now with a reply MX Spool does not recognise.',
    fix: 'Read the server\'s reply below; MX Spool keeps retrying until the message\'s lifetime ends.',
    cause: 'The server refused for now',
  },
  {
    category: 'other',
    match: { codes: ['5xx'] },
    title: 'Permanent refusal',
    explanation: '{destination} refused the message permanently with a reply MX Spool does not recognise.',
    fix: 'Read the server\'s reply below and check the server\'s log for the reason.',
    cause: 'The server refused mail permanently',
  },
  {
    category: 'other',
    match: {},
    title: 'Delivery problem',
    explanation: 'The attempt to {destination} failed for a reason MX Spool does not recognise.',
    fix: 'Read the error below and the server\'s log.',
    cause: 'Deliveries failed',
  },
];
