/** Placeholder until this screen lands (issue 3 work in progress). */
export function DomainsScreen(_props: { params: URLSearchParams }) {
  return <p>Coming in this issue.</p>;
}
