import type { AttemptStage } from '../../../../electron/contract/report-schema.js';
import type { RouteStepName, TestRouteResult, TranscriptEntry } from '../../../../electron/contract/route-check-schema.js';
import { formatTime } from '../../ui/format-time.js';

const stepLabel: Record<RouteStepName, string> = {
  resolve: 'Look up the address',
  connect: 'Connect',
  banner: 'Greeting (banner)',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  auth: 'Log in (AUTH)',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  rset: 'RSET',
  quit: 'QUIT',
};

const stageLabel: Record<AttemptStage, string> = {
  connect: 'connecting',
  tls: 'TLS (STARTTLS)',
  ehlo: 'the greeting (banner or EHLO)',
  auth: 'logging in (AUTH)',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  data: 'DATA',
  done: 'the end',
};

const prefix: Record<TranscriptEntry['direction'], string> = { client: 'C: ', server: 'S: ', info: '* ' };

/** A transcript as mail people read one: C: and S: before every line, multi-line replies included. */
export function transcriptText(entries: TranscriptEntry[]): string {
  return entries.map((entry) => entry.text.split('\n').map((line) => `${prefix[entry.direction]}${line}`).join('\n')).join('\n');
}

/** What a route test found: accepted or the step that failed with its exact reply, then the details. */
export function RouteTestResult(props: { result: TestRouteResult; recipient: string }) {
  const { result } = props;
  const failure = result.failure;
  return (
    <div className={result.ok ? 'route-result route-ok' : 'route-result route-failed'} data-testid="route-result">
      {result.ok || !failure ? (
        <p className="notice-ok">
          {result.destination} would accept mail for {props.recipient}. Nothing was sent.
        </p>
      ) : (
        <div className="error-notice">
          <p data-testid="route-failure">
            Failed at {stageLabel[failure.stage]}
            {failure.code !== null ? ` (${failure.code}${failure.enhancedCode ? ` ${failure.enhancedCode}` : ''})` : ''}: {failure.message}
          </p>
          {failure.response ? <pre className="reply" data-testid="route-failure-reply">{failure.response}</pre> : null}
          {failure.originalCode || failure.errorCode ? <p className="hint">Error code: {[failure.errorCode, failure.originalCode].filter(Boolean).join(' / ')}</p> : null}
        </div>
      )}
      {result.localAddress ? (
        <p>
          Our address, as the server sees it: <strong>{result.localAddress}</strong>
          {result.remoteAddress ? ` (connected to ${result.remoteAddress})` : ''}. Allow this address on the office server&apos;s firewall.
        </p>
      ) : null}
      <h4>Steps</h4>
      <ol className="route-steps">
        {result.steps.map((step, index) => (
          <li key={index} className={step.ok ? 'step-ok' : 'step-failed'}>
            <span aria-hidden="true">{step.ok ? '✓ ' : '✗ '}</span>
            <span className="visually-hidden">{step.ok ? 'Passed: ' : 'Failed: '}</span>
            {stepLabel[step.step]} <span className="hint">({Math.round(step.durationMs)} ms)</span>: {step.detail}
          </li>
        ))}
      </ol>
      <h4>Encryption</h4>
      {result.tls ? (
        <dl className="route-tls" data-testid="route-tls">
          <dt>Protocol</dt>
          <dd>{[result.tls.protocol, result.tls.cipher].filter(Boolean).join(', ') || 'unknown'}</dd>
          {result.tls.certificate ? (
            <>
              <dt>Certificate</dt>
              <dd>{result.tls.certificate.subject}</dd>
              <dt>Issued by</dt>
              <dd>
                {result.tls.certificate.issuer}
                {result.tls.certificate.selfSigned ? ' (self-signed)' : ''}
              </dd>
              <dt>Expires</dt>
              <dd>{formatTime(result.tls.certificate.validTo)}</dd>
            </>
          ) : null}
          <dt>Verified</dt>
          <dd>{result.tls.verified ? 'Yes' : `No${result.tls.verifyError ? `: ${result.tls.verifyError}` : ''}`}</dd>
        </dl>
      ) : (
        <p>None: the session stayed unencrypted.</p>
      )}
      <h4>Transcript</h4>
      <pre className="transcript" tabIndex={0} aria-label={`Transcript of the test of ${result.destination}`} data-testid="route-transcript">
        {transcriptText(result.transcript)}
      </pre>
    </div>
  );
}
