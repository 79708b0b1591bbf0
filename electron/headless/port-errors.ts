export type ListenTarget = { what: 'SMTP listener' | 'admin API'; host: string; port: number };

/**
 * Turns a failed `listen()` into one sentence an admin can act on: what is wrong, and the flag or setting
 * that fixes it. Node's own text ("listen EADDRINUSE: address already in use 0.0.0.0:25") names neither.
 */
export function describeListenError(err: unknown, target: ListenTarget): string {
  const { what, host, port } = target;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `port ${port} on ${host}`;
  const portFlag = what === 'SMTP listener' ? '--smtp-port (or listener.port in the settings)' : '--admin-port';
  switch (code) {
    case 'EADDRINUSE': {
      const culprit = what === 'SMTP listener' ? 'another mail server?' : 'another MX Spool?';
      return `Cannot start the ${what}: ${where} is already in use by another program (${culprit}): stop it or choose another port with ${portFlag}`;
    }
    case 'EACCES':
    case 'EPERM':
      if (port < 1024) {
        return `Cannot start the ${what}: port ${port} needs administrator rights: run as administrator/root, or use a port above 1024 and forward ${port} to it`;
      }
      // Above 1024 this is not about privileges: Windows reserves port ranges for Hyper-V/WinNAT.
      return `Cannot start the ${what}: permission denied for ${where}; the port may be reserved by the system (Windows: netsh interface ipv4 show excludedportrange protocol=tcp): choose another port with ${portFlag}`;
    case 'EADDRNOTAVAIL':
      if (what === 'admin API') {
        // Only loopback is allowed here, so the usual cause is IPv6 being switched off for ::1.
        return `Cannot start the ${what}: ${host} is not available on this computer (IPv6 switched off?): use 127.0.0.1`;
      }
      return `Cannot start the ${what}: ${host} is not an address of this computer: give one of its addresses, or 0.0.0.0 for all of them, with --smtp-host (or listener.host in the settings)`;
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return `Cannot start the ${what} on ${host}:${port}: ${detail}`;
    }
  }
}
