import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../electron/engine/settings/secret-cipher.js';

/**
 * A real reversible cipher standing in for the OS keychain in tests: AES-256-GCM with a fixed key. GCM's
 * tag makes a wrong key fail loudly, as safeStorage does when the keychain key is gone.
 */
export function aesTestCipher(options: { key?: Buffer; name?: string; available?: boolean } = {}): SecretCipher {
  const key = options.key ?? Buffer.alloc(32, 7);
  return {
    name: options.name ?? 'test-aes',
    isAvailable: async () => options.available ?? true,
    encrypt: async (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt: async (encrypted) => {
      const bytes = Buffer.from(encrypted, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
