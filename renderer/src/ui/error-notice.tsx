import { ApiError } from '../api/api-client.js';

/** An API failure in words the admin can act on: the engine's message already says what to do. */
export function ErrorNotice(props: { error: unknown; action?: string }) {
  const message = props.error instanceof ApiError || props.error instanceof Error ? props.error.message : String(props.error);
  const network = !(props.error instanceof ApiError);
  return (
    <p role="alert" className="error-notice">
      {props.action ? `${props.action} failed: ` : ''}
      {message}
      {network ? ' — is MX Spool still running? Reload this page when it is.' : ''}
    </p>
  );
}
