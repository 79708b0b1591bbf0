import type { AppInfo } from '../../contract/app-schema.js';
import type { Engine } from '../engine.js';

/** What runs where: the About screen and the head of every diagnostics file. */
export function appInfo(engine: Engine): AppInfo {
  const given = engine.engineOptions.appInfo;
  return {
    name: 'MX Spool',
    version: given?.version ?? 'unknown',
    host: given?.host ?? 'service',
    dataDir: engine.dataDir,
    settingsFile: engine.settingsStore.filePath,
    platform: process.platform,
    arch: process.arch,
    versions: { node: process.versions.node, electron: given?.electronVersion ?? null },
    startedAt: engine.startedAt.toISOString(),
  };
}
