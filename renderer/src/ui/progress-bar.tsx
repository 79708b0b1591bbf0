/** Progress of long work (a backlog draining), with its words for screen readers. */
export function ProgressBar(props: { label: string; done: number; total: number }) {
  const total = Math.max(props.total, 1);
  const done = Math.min(Math.max(props.done, 0), total);
  return (
    <div className="progress">
      <progress aria-label={props.label} max={total} value={done} />
      <small>
        {done} of {props.total}
      </small>
    </div>
  );
}
