import { safeStorage } from 'electron';
import type { SecretCipher } from '../engine/settings/secret-cipher.js';

/**
 * Stored passwords encrypted with the OS keychain through Electron's safeStorage: Keychain on macOS, DPAPI
 * on Windows, libsecret or kwallet on Linux. Linux without a secret store falls back to "basic_text", a
 * key hard-coded in Chromium: no protection, so it counts as unavailable and passwords stay plain text in
 * the owner-only settings file, as in the headless service. Call only after the app's `ready` event.
 */
export function safeStorageCipher(): SecretCipher {
  let available: Promise<boolean> | undefined;
  return {
    name: 'safeStorage',
    isAvailable: () =>
      (available ??= safeStorage
        .isAsyncEncryptionAvailable()
        .then((ok) => ok && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'))
        .catch(() => false)),
    encrypt: async (plain) => (await safeStorage.encryptStringAsync(plain)).toString('base64'),
    decrypt: async (encrypted) => (await safeStorage.decryptStringAsync(Buffer.from(encrypted, 'base64'))).result,
  };
}
