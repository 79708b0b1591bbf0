/**
 * A checkbox with its words beside it and an optional hint under it. The hint is the checkbox's
 * description (`aria-describedby`), so a screen reader reads it with the choice, as with FormField.
 */
export function CheckField(props: { id: string; label: string; checked: boolean; hint?: string; onChange: (checked: boolean) => void }) {
  return (
    <div className="check-field">
      <label className="check">
        <input type="checkbox" id={props.id} checked={props.checked} aria-describedby={props.hint ? `${props.id}-hint` : undefined} onChange={(event) => props.onChange(event.target.checked)} />
        {props.label}
      </label>
      {props.hint ? (
        <small id={`${props.id}-hint`} className="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}
