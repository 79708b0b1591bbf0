/**
 * Reasons for paths a form shows no field for (the engine may name any path), listed in the form so no
 * reason the engine gives is lost for want of a field to stand beside. Nothing when there are none.
 */
export function NotSavedReasons(props: { reasons: readonly (readonly [path: string, message: string])[] }) {
  if (props.reasons.length === 0) return null;
  return (
    <div role="alert" className="error-notice">
      Not saved:
      <ul>
        {props.reasons.map(([path, message]) => (
          <li key={path}>{path ? `${path}: ${message}` : message}</li>
        ))}
      </ul>
    </div>
  );
}
