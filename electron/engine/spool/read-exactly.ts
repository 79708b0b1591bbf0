import { readSync } from 'node:fs';

/** A file shorter than the bytes asked of it: code ESHORT, which survives the trip back from a worker thread. */
export function endedEarly(filePath: string, at: number, end: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${filePath} ends at byte ${at} of ${end}`), { code: 'ESHORT' });
}

/** Fills `into` from `position` on (readSync may return fewer bytes than asked); throws endedEarly if the file ends first. */
export function readExactlySync(fd: number, into: Uint8Array, position: number, filePath: string): void {
  for (let done = 0; done < into.length; ) {
    const read = readSync(fd, into, done, into.length - done, position + done);
    if (read === 0) throw endedEarly(filePath, position + done, position + into.length);
    done += read;
  }
}
