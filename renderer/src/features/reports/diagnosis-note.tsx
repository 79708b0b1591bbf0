import type { Diagnosis } from '../../../../electron/contract/diagnosis-schema.js';

/**
 * An attempt's cause under its exact reply: the engine's diagnosis title, and in a disclosure what it
 * means and how to fix it (the fix is also the tooltip). Nothing for a delivery: the reply says it all.
 */
export function DiagnosisNote(props: { diagnosis: Diagnosis | undefined }) {
  const { diagnosis } = props;
  if (!diagnosis || diagnosis.category === 'delivered') return null;
  return (
    <div className="reply-diagnosis" data-testid="diagnosis" data-category={diagnosis.category}>
      <span className="diagnosis-label">Cause: </span>
      <strong className="diagnosis-title" title={diagnosis.fix}>
        {diagnosis.title}
      </strong>
      <details className="diagnosis-details">
        <summary>What to do</summary>
        <p className="diagnosis-explanation">{diagnosis.explanation}</p>
        <p className="diagnosis-fix">{diagnosis.fix}</p>
      </details>
    </div>
  );
}
