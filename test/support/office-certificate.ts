import { generate } from 'selfsigned';

/** A self-signed certificate for mx.office.test, as small-office servers often have. */
export async function selfSignedOfficeCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'mx.office.test' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'mx.office.test' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}
