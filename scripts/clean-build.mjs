// Removes the compiled output before an installer build: `tsc -b` never deletes the output of a source file
// that was deleted or renamed, and electron-builder packs all of dist/electron, so a stale module would ship.
// Node instead of `rm -rf`, so `npm run dist` works the same on Windows.
import { rmSync } from 'node:fs';

for (const folder of ['dist', 'renderer/dist']) rmSync(folder, { recursive: true, force: true });
