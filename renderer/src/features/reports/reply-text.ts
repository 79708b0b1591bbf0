/**
 * What the status column says besides the reply itself. The reply text is shown exactly as received and
 * usually starts with its own code ("550-5.1.1 …" per line, RFC 5321 4.2); the code and the RFC 3463
 * enhanced code are only added in front when the text does not already carry them.
 */
export function replyCodes(code: number | null, enhancedCode: string | null, response: string | null): string | null {
  if (code === null) return null;
  if (response !== null && response.startsWith(String(code))) return null;
  return enhancedCode ? `${code} ${enhancedCode}` : String(code);
}
