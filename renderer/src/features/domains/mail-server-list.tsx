import { useRef } from 'react';
import type { FieldErrors } from '../../ui/field-errors.js';
import { DestinationFields } from './destination-fields.js';
import { MAX_DESTINATIONS, newDestinationDraft, type DestinationDraft } from './domain-draft.js';

/** The domain's Mail Server Settings: an ordered list, tried first to last. */
export function MailServerList(props: { idPrefix: string; domainName: string; timeoutSeconds: number | undefined; value: DestinationDraft[]; errors: FieldErrors; onChange: (next: DestinationDraft[]) => void }) {
  const addButton = useRef<HTMLButtonElement>(null);
  const list = props.value;
  const move = (index: number, offset: -1 | 1) => {
    const next = [...list];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + offset, 0, moved);
    props.onChange(next);
  };
  const remove = (index: number) => {
    props.onChange(list.filter((_, i) => i !== index));
    addButton.current?.focus(); // the pressed button is gone with its server
  };
  return (
    <fieldset className="mail-servers" aria-describedby={`${props.idPrefix}-servers-hint`}>
      <legend>Mail Server Settings</legend>
      <small id={`${props.idPrefix}-servers-hint`} className="hint">
        The office mail server(s) MX Spool forwards this domain&apos;s mail to, in this order.
      </small>
      {props.errors.destinations ? (
        <small className="field-error" role="alert">
          {props.errors.destinations}
        </small>
      ) : null}
      {list.map((destination, index) => (
        <DestinationFields
          key={destination.key}
          idPrefix={props.idPrefix}
          domainName={props.domainName}
          timeoutSeconds={props.timeoutSeconds}
          index={index}
          count={list.length}
          value={destination}
          errors={props.errors}
          onChange={(changed) => props.onChange(list.map((entry, i) => (i === index ? changed : entry)))}
          onMove={(offset) => move(index, offset)}
          onRemove={() => remove(index)}
        />
      ))}
      <button type="button" ref={addButton} aria-disabled={list.length >= MAX_DESTINATIONS} onClick={() => list.length < MAX_DESTINATIONS && props.onChange([...list, newDestinationDraft()])}>
        Add mail server
      </button>
    </fieldset>
  );
}
