import { useCallback, useEffect, useRef, type ReactNode, type SyntheticEvent } from 'react';

/**
 * A native modal `<dialog>`: the browser traps focus inside, makes the page behind inert, closes it on
 * Escape and gives focus back to what had it before. Mounted = open; `onClose` runs once it has closed,
 * whether by Escape or by `close()` from the content.
 */
export function ModalDialog(props: { labelledBy: string; describedBy?: string; className?: string; onClose: () => void; children: (close: () => void) => ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // StrictMode runs this twice; showModal() on an open dialog would throw.
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);
  const close = useCallback(() => ref.current?.close(), []);
  const { onClose } = props;
  const closed = useCallback(
    (event: SyntheticEvent<HTMLDialogElement>) => {
      // React may hand a nested dialog's close event to this one too: only our own counts.
      if (event.target === event.currentTarget) onClose();
    },
    [onClose],
  );
  return (
    <dialog ref={ref} className={props.className} aria-labelledby={props.labelledBy} aria-describedby={props.describedBy} onClose={closed}>
      {props.children(close)}
    </dialog>
  );
}
