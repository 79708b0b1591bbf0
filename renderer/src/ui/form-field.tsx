import type { ReactNode } from 'react';

/**
 * A labelled control with its reason beside it. The control gets `id`, `aria-invalid` and
 * `aria-describedby` from `controlProps(id, error)` so screen readers read the reason with the field.
 */
export function FormField(props: { id: string; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error ? (
        <small id={`${props.id}-hint`} className="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${props.id}-error`} className="field-error" role="alert">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

export function controlProps(id: string, error: string | undefined, hint?: string) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}
