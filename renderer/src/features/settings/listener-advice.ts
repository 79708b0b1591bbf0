/**
 * What to do about a listener error, by the error Node gave (`listen EADDRINUSE: address already in use
 * 0.0.0.0:25`). A table, reviewed like text: the first matching pattern wins.
 */
const adviceTable: { pattern: RegExp; advice: string }[] = [
  {
    pattern: /EADDRINUSE|address already in use/i,
    advice: 'Another program already uses this port, often another mail server on this computer. Pick another port, or stop the other mail server, then save again.',
  },
  {
    pattern: /EACCES|EPERM|permission denied/i,
    advice:
      'Ports below 1024, such as 25, need administrator rights. Run MX Spool as administrator or as a service, or use a port above 1024 (e.g. 2525) and forward port 25 to it on your router or firewall.',
  },
  {
    pattern: /EADDRNOTAVAIL|address not available/i,
    advice: "This computer has no such address. Use 0.0.0.0 to listen on all of this computer's addresses, or one of its own addresses.",
  },
  {
    pattern: /ENOTFOUND|EAI_AGAIN|getaddrinfo/i,
    advice: 'The listen address is not a name this computer knows. Use 0.0.0.0 or one of its IP addresses.',
  },
  {
    pattern: /certificate|tlsCertFile|tlsKeyFile|PEM/i,
    advice: 'Check the certificate and key file paths, or empty both to use a self-signed certificate.',
  },
];

const fallback = 'Check the listen address and port, then save again. The log file has the details.';

export function listenerAdvice(error: string): string {
  return adviceTable.find((entry) => entry.pattern.test(error))?.advice ?? fallback;
}
