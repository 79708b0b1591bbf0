/** A refusal as data: smtp-server sends `responseCode` and `message` as the SMTP reply. */
export class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'SmtpReply';
  }
}

/** The fixed replies of the intake, with their RFC 3463 enhanced codes, in one place. */
export const replies = {
  relayDenied: () => new SmtpReply(550, '5.7.1 Relaying denied'),
  unknownRecipient: (address: string) => new SmtpReply(550, `5.1.1 <${address}>: Recipient address rejected: User unknown`),
  badRecipientSyntax: () => new SmtpReply(501, '5.1.3 Bad recipient address syntax'),
  badSenderSyntax: () => new SmtpReply(501, '5.1.7 Bad sender address syntax'),
  tooManyRecipients: () => new SmtpReply(452, '4.5.3 Too many recipients'),
  tooManyConnections: () => new SmtpReply(421, '4.7.0 Too many connections from your address, try again later'),
  storageFull: () => new SmtpReply(452, '4.3.1 Insufficient system storage, try again later'),
  storageError: () => new SmtpReply(451, '4.3.0 Local error in processing, message not accepted, try again later'),
  tooBig: (limitBytes: number) => new SmtpReply(552, `5.3.4 Message size exceeds fixed limit of ${limitBytes} bytes`),
  tooManyRefusals: () => new SmtpReply(421, '4.7.0 Too many refused recipients, closing connection'),
  shuttingDown: () => new SmtpReply(421, '4.3.2 Service shutting down, try again later'),
  noRecipients: () => new SmtpReply(554, '5.5.1 No valid recipients'),
} as const;
