import type { ReactNode } from 'react';
import { replyCodes } from './reply-text.js';

/**
 * A server's reply exactly as received: a <pre> keeps its spaces and the lines of a multi-line reply
 * ("550-5.1.1 …\n550 5.1.1 …"). The outcome is written as a word too, so colour is never the only sign.
 * `children` go under the reply (the outbound report's diagnosis).
 */
export function ReplyCell(props: { outcome: string; code: number | null; enhancedCode: string | null; response: string | null; errorCode?: string | null; showOutcome?: boolean; testId: string; children?: ReactNode }) {
  const codes = replyCodes(props.code, props.enhancedCode, props.response);
  // Without a reply code the server never answered: the error code (ECONNECTION, ETIMEDOUT…) says why.
  const errorCode = props.code === null ? (props.errorCode ?? null) : null;
  return (
    <td className={`reply reply-${props.outcome}`} data-testid={props.testId}>
      {props.showOutcome === false ? null : <span className="reply-outcome">{props.outcome}</span>}
      {codes ? <span className="reply-codes"> {codes}</span> : null}
      {errorCode ? <span className="reply-codes"> {errorCode}</span> : null}
      {props.response !== null ? <pre className="reply-text">{props.response}</pre> : errorCode ? null : <span className="reply-none"> (no reply)</span>}
      {props.children}
    </td>
  );
}
