import type { TlsMode } from '../../../electron/contract/settings-schema.js';
import { requiredNumber } from './form-numbers.js';

/**
 * An SMTP server MX Spool sends to (a domain's mail server, the bounce relay), as a form holds it: the
 * port as typed, so a half-typed one can be shown and explained, and the login as two plain fields.
 */
export interface SmtpServerDraft {
  host: string;
  port: string;
  tls: TlsMode;
  verifyCertificate: boolean;
  authUser: string;
  authPass: string;
  /** The engine holds a password for this login: it never sends it (stored-passwords.ts); an empty field keeps it. */
  passwordStored?: boolean;
}

/** Hint under a password field whose password is stored: the field is empty on purpose. */
export const STORED_PASSWORD_HINT = 'A password is stored and never shown. Leave this empty to keep it, or type a new one.';

/** The fields destinationSchema and bounceRelaySchema share (settings-schema.ts). */
export interface SmtpServer {
  host: string;
  port: number;
  tls: TlsMode;
  verifyCertificate: boolean;
  auth?: { user: string; pass: string } | undefined;
}

export function smtpServerDraft(server: SmtpServer): SmtpServerDraft {
  return {
    host: server.host,
    port: String(server.port),
    tls: server.tls,
    verifyCertificate: server.verifyCertificate,
    authUser: server.auth?.user ?? '',
    authPass: server.auth?.pass ?? '',
    passwordStored: server.auth !== undefined,
  };
}

/** The draft as the contract takes it; an invalid port stays NaN, so the schema names the reason. */
export function smtpServerInput(draft: SmtpServerDraft): SmtpServer {
  return {
    host: draft.host.trim(),
    port: requiredNumber(draft.port),
    tls: draft.tls,
    verifyCertificate: draft.verifyCertificate,
    // Both empty = no SMTP AUTH: `auth` is left out. A password without a user name is sent, so the
    // contract's "Enter the user name" appears beside the user name field.
    ...(draft.authUser.trim() || draft.authPass ? { auth: { user: draft.authUser.trim(), pass: draft.authPass } } : {}),
  };
}
