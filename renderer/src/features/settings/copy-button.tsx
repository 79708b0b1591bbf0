import { useEffect, useState } from 'react';

/** How long "Copied" stays on the button, in ms. */
const COPIED_FOR_MS = 2_000;

/**
 * Copies `text` to the clipboard and says so on the button. The clipboard needs a secure context (the
 * desktop window, or the admin URL on localhost or HTTPS): elsewhere the button says to copy by hand.
 */
export function CopyButton(props: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), COPIED_FOR_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy-action">
      <button type="button" className="copy-button" aria-label={props.label} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {/* The button's own text says "Copied"; this tells a screen reader, which reads the button's label. */}
      <span role="status" className={state === 'failed' ? 'copy-status' : 'copy-status visually-hidden'}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copying is not allowed here: select the text and copy it.' : ''}
      </span>
    </span>
  );
}
