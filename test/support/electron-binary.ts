import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './chromium.js';

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
