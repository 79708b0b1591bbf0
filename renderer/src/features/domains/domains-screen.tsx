/** Placeholder until this screen lands (issue 3 work in progress). */
export function DomainsScreen(_props: { params: Record<string, string> }) {
  return <p>Coming in this issue.</p>;
}
