import type { IncomingMessage } from 'node:http';

/**
 * Reads the whole request body, or answers 'too-large' as soon as it passes `limitBytes` (from the
 * Content-Length header if declared, else while reading), without buffering the excess. The rest of the
 * body is left unread: the caller replies and then discards it (discardRestOfBody). Rejects if the client
 * disconnects.
 */
export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sizeBytes = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      sizeBytes += chunk.length;
      if (sizeBytes > limitBytes) {
        cleanup();
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('The client closed the connection before sending the whole body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Reads and drops what is left of a refused request body, so the connection stays usable and the client,
 * still uploading, reads the refusal instead of a reset. A client that sends more than `limitBytes` after
 * the refusal has its connection cut.
 */
export function discardRestOfBody(req: IncomingMessage, limitBytes: number): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limitBytes) req.socket.destroy();
  });
  req.on('error', () => undefined); // the client going away is not our error
  req.resume();
}
