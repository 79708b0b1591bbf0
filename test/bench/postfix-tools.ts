import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';

/** Postfix's load generator and null server: independent SMTP peers, so we never measure ourselves against ourselves. */
export interface PostfixTools {
  smtpSource: string;
  smtpSink: string;
}

// Debian installs both in /usr/sbin, which is not on a normal user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/lib/postfix', '/opt/homebrew/sbin'];

/** Finds smtp-source and smtp-sink, or returns the names of those missing. Installs nothing. */
export async function findPostfixTools(): Promise<PostfixTools | { missing: string[] }> {
  const [smtpSource, smtpSink] = await Promise.all([findExecutable('smtp-source'), findExecutable('smtp-sink')]);
  if (smtpSource && smtpSink) return { smtpSource, smtpSink };
  return { missing: [smtpSource ? null : 'smtp-source', smtpSink ? null : 'smtp-sink'].filter((name): name is string => name !== null) };
}

/** postfix and postqueue, for the private backup-MX instance the benchmark compares with; null if either is missing. */
export async function findPostfixPrograms(): Promise<{ postfix: string; postqueue: string } | null> {
  const [postfix, postqueue] = await Promise.all([findExecutable('postfix'), findExecutable('postqueue')]);
  return postfix && postqueue ? { postfix, postqueue } : null;
}

export function missingToolsMessage(missing: string[]): string {
  return [
    `npm run bench needs Postfix's ${missing.join(' and ')} (looked in PATH and ${EXTRA_DIRS.join(', ')}).`,
    'Install the postfix package, which ships both test programs, then run the benchmark again:',
    '  Debian/Ubuntu:  sudo apt-get install postfix   (choose "No configuration": the system mail server stays off)',
    '  Fedora/RHEL:    sudo dnf install postfix',
    '  macOS:          brew install postfix',
    'Nothing was installed.',
    '',
  ].join('\n');
}

async function findExecutable(name: string): Promise<string | null> {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return null;
}
