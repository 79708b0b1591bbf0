// Bundles the preload to one CommonJS file: a sandboxed preload can require only 'electron', not our modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/preload/preload.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['electron'],
  target: 'node20',
  outfile: 'dist/electron/preload/preload.cjs',
  logLevel: 'warning',
});
