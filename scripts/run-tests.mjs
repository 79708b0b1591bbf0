// Runs every test/**/*.test.ts with node's test runner. Node 20 has no glob support in `--test`, and
// shell globs differ between Windows and POSIX, so the files are listed here.
// Usage: node scripts/run-tests.mjs [path-filter ...]   e.g. `npm test -- test/engine/spool`
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return find(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(path.normalize(filter))))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// Given to the runner (not to each test), --test-timeout bounds each test file: a file that hangs (a server
// that never answers, a handle left open) is killed and reported `not ok <file> test timed out` instead of
// stalling CI until its own limit. The longest file takes about a minute here.
const FILE_TIMEOUT_MS = 5 * 60_000;
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${FILE_TIMEOUT_MS}`, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
