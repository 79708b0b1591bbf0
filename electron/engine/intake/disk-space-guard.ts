import { statfs } from 'node:fs/promises';

/**
 * Answers "is there room for new mail?" from the free space of the spool's file system. The answer is
 * cached for a second: MAIL FROM arrives hundreds of times a second under load.
 */
export class DiskSpaceGuard {
  private cached: { at: number; freeBytes: number } | null = null;

  constructor(
    private readonly directory: string,
    private readonly now: () => number,
  ) {}

  async hasRoom(minFreeBytes: number): Promise<boolean> {
    if (minFreeBytes <= 0) return true;
    return (await this.freeBytes()) >= minFreeBytes;
  }

  async freeBytes(): Promise<number> {
    const now = this.now();
    if (this.cached && now - this.cached.at < 1000) return this.cached.freeBytes;
    const stats = await statfs(this.directory);
    const freeBytes = Number(stats.bavail) * Number(stats.bsize);
    this.cached = { at: now, freeBytes };
    return freeBytes;
  }
}
