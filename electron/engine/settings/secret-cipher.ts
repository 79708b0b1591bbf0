/**
 * Encrypts the passwords kept in settings.json (destination and bounce relay SMTP AUTH). The engine never
 * imports Electron: the desktop app passes a cipher backed by Electron's safeStorage (the OS keychain:
 * Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux); the headless service passes none and
 * keeps passwords as plain text in the owner-only (0600) file.
 */
export interface SecretCipher {
  /** Stored beside each encrypted value ("by"), so a file names what can decrypt it. */
  readonly name: string;
  /** False when the keychain cannot be used now; the store then keeps plain text (still mode 0600). */
  isAvailable(): Promise<boolean>;
  /** Plain text → base64 of the ciphertext. */
  encrypt(plain: string): Promise<string>;
  /** base64 of the ciphertext → plain text; throws when the key is gone or the data was altered. */
  decrypt(encrypted: string): Promise<string>;
}

/** How an encrypted password is written in settings.json, in place of the plain string. */
export type SealedSecret = { encrypted: string; by: string };

export function isSealedSecret(value: unknown): value is SealedSecret {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.keys(record).length === 2 && typeof record.encrypted === 'string' && typeof record.by === 'string';
}
