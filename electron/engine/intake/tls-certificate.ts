import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../contract/app-error.js';
import type { Logger } from '../runtime/logger.js';

export interface TlsMaterial {
  key: string;
  cert: string;
  source: 'admin' | 'self-signed';
}

// selfsigned (and the X.509 library under it) is imported only when a certificate has to be made: loading
// it costs about 150 ms of every start, and after the first start the certificate is read from disk.

/**
 * STARTTLS key and certificate: the admin's PEM files when configured, otherwise a self-signed one made
 * once at first start and kept in `<dataDir>/tls/` (senders' MTAs accept self-signed certificates for
 * opportunistic TLS, RFC 3207 section 4.1 / RFC 7435).
 */
export async function loadTlsMaterial(options: {
  dataDir: string;
  certFile: string;
  keyFile: string;
  hostname: string;
  logger: Logger;
}): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    try {
      const [cert, key] = await Promise.all([readFile(options.certFile, 'utf8'), readFile(options.keyFile, 'utf8')]);
      return { cert, key, source: 'admin' };
    } catch (error) {
      throw new AppError('SETTINGS_INVALID', `Cannot read the TLS certificate or key (${(error as Error).message}): check listener.tlsCertFile and listener.tlsKeyFile`, {
        issues: [{ path: 'listener.tlsCertFile', message: (error as Error).message }],
      });
    }
  }
  const dir = path.join(options.dataDir, 'tls');
  const certPath = path.join(dir, 'self-signed-cert.pem');
  const keyPath = path.join(dir, 'self-signed-key.pem');
  try {
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { cert, key, source: 'self-signed' };
  } catch {
    // not made yet
  }
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 24 * 3600 * 1000); // 10 years: nobody renews a backup MX
  const pems = await (await import('selfsigned')).generate([{ name: 'commonName', value: options.hostname }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: options.hostname }] }],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  options.logger.log('info', 'TLS_SELF_SIGNED_CREATED', { hostname: options.hostname, cert: certPath });
  return { cert: pems.cert, key: pems.private, source: 'self-signed' };
}
