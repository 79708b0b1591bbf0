/** "All domains" or one: narrows the queue, outcome and deferral charts and the age table to that domain. */
export function DomainFilter(props: { value: string; domains: readonly string[]; onChange: (domain: string) => void }) {
  const options = props.value && !props.domains.includes(props.value) ? [...props.domains, props.value] : props.domains;
  return (
    <div className="chart-control">
      <label htmlFor="charts-domain">Domain</label>
      <select id="charts-domain" aria-describedby="charts-domain-hint" value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">All domains</option>
        {options.map((domain) => (
          <option key={domain} value={domain}>
            {domain}
          </option>
        ))}
      </select>
      <small id="charts-domain-hint" className="hint">
        Narrows every chart below.
      </small>
    </div>
  );
}
