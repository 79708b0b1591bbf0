import type { ReactNode } from 'react';
import { controlProps, FormField } from '../../ui/form-field.js';

/**
 * A text input with its label and reason. Numbers are text too (`inputMode`), so "12a" reaches the
 * validation and gets a reason instead of vanishing as Chromium's empty number-input value.
 */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  hint?: string;
  inputMode?: 'numeric' | 'decimal';
  type?: 'text' | 'password';
  /** Something else that explains the field, e.g. the listener's current error beside the port. */
  describedBy?: string;
  after?: ReactNode;
  onChange: (value: string) => void;
}) {
  const control = controlProps(props.id, props.error, props.hint);
  const describedBy = [control['aria-describedby'], props.describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <FormField id={props.id} label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})}>
      <input
        {...control}
        aria-describedby={describedBy}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        className={props.inputMode ? 'narrow' : undefined}
        autoComplete={props.type === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.after}
    </FormField>
  );
}
