import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot } from './chromium.js';
import { tempDir } from './temp-dir.js';

/** The downloaded Electron binary, or null (fetched at first `npm start`; this CI machine has no network for it). */
export function electronBinary(): string | null {
  const electronDir = path.join(repoRoot, 'node_modules', 'electron');
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

/** Why the real Electron app cannot run here, or null when it can. */
export function electronSkipReason(): string | null {
  if (!electronBinary()) {
    return 'the Electron binary is not downloaded on this machine (it is fetched at first `npm start`; this machine has no network for it)';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (run under xvfb-run to include it)';
  return null;
}

/**
 * For a test of the real desktop app: null (test marked skipped, with the reason) where it cannot run;
 * else the app is built and a data folder holds settings with the SMTP listener on `smtpPort` on loopback
 * (a high port: 25 needs administrator rights; a busy port only shows in the summary).
 */
export async function prepareDesktopRun(t: TestContext, smtpPort: number): Promise<{ binary: string; dataDir: string } | null> {
  const reason = electronSkipReason();
  if (reason) {
    t.skip(reason);
    return null;
  }
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', shell: process.platform === 'win32' });
  assert.equal(build.status, 0, build.stderr);
  const dataDir = await tempDir(t);
  // setup.done: these tests look at the dashboard, not at the first-run setup a fresh folder opens on.
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: smtpPort }, setup: { done: true } }));
  return { binary: electronBinary()!, dataDir };
}
