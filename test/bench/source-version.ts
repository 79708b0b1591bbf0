import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Which code was measured: the commit, plus a warning when the engine's files differed from it. Figures
 * without this are unreadable later, and engine files change often. "unknown" outside a git checkout.
 */
export async function describeSource(repoRoot: string): Promise<string> {
  try {
    const { stdout: commit } = await run('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']);
    // Only what runs in the measured process counts; the benchmark's own files and docs do not.
    const { stdout: status } = await run('git', ['-C', repoRoot, 'status', '--porcelain', '--', 'electron', 'package.json', 'package-lock.json']);
    const changed = status.split('\n').filter((line) => line.trim() !== '').length;
    return changed === 0 ? commit.trim() : `${commit.trim()} with uncommitted changes to ${changed} file${changed === 1 ? '' : 's'} under electron/ or package*.json`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
