import type { Diagnosis } from '../../contract/diagnosis-schema.js';
import type { AttemptOutcome, AttemptStage } from '../../contract/report-schema.js';
import { parseEnhancedCode, parseReplyCode } from '../delivery/smtp-reply.js';
import { failureClasses, type CodePattern, type FailureClass, type FailureMatch } from './failure-classes.js';

/**
 * What is known about an attempt: a full AttemptRecord, or less (a queue entry has only the reply text).
 * A missing code or enhanced code is read from the start of `response` (RFC 5321 4.2, RFC 2034 section 4).
 */
export interface AttemptFacts {
  stage?: AttemptStage | null;
  code?: number | null;
  enhancedCode?: string | null;
  response?: string | null;
  errorCode?: string | null;
  outcome?: AttemptOutcome | null;
  localAddress?: string | null;
  destination?: string | null;
}

/** The addresses the advice names; several sources when a summary covers many attempts. */
export interface DiagnosisPlaces {
  sources: readonly string[];
  destination: string | null;
}

/** The first row of the table that matches. The last row matches anything, so there always is one. */
export function matchFailureClass(facts: AttemptFacts, table: readonly FailureClass[] = failureClasses): FailureClass {
  const normalised: Normalised = {
    code: facts.code ?? parseReplyCode(facts.response),
    enhanced: facts.enhancedCode ?? parseEnhancedCode(facts.response),
    response: facts.response === null || facts.response === undefined ? null : oneLine(facts.response),
    errorCode: facts.errorCode ?? null,
    stage: facts.stage ?? null,
    outcome: facts.outcome ?? null,
  };
  for (const row of table) {
    const alternatives: readonly FailureMatch[] = Array.isArray(row.match) ? row.match : [row.match as FailureMatch];
    if (alternatives.some((match) => matches(match, normalised))) return row;
  }
  throw new Error('failureClasses must end with a catch-all row');
}

/** The category of an attempt, with its advice filled in with the attempt's source IP and destination. */
export function classifyAttempt(facts: AttemptFacts): Diagnosis {
  const row = matchFailureClass(facts);
  return describe(row, { sources: facts.localAddress ? [facts.localAddress] : [], destination: facts.destination ?? null });
}

/** A row's texts with the placeholders filled in. */
export function describe(row: FailureClass, places: DiagnosisPlaces): Diagnosis {
  return { category: row.category, title: row.title, explanation: fill(row.explanation, places), fix: fill(row.fix, places) };
}

/** `{source}`, `{thisAddress}` and `{destination}` in a table text (see FailureClass). */
export function fill(template: string, places: DiagnosisPlaces): string {
  const { sources } = places;
  const source = sources.length === 0 ? 'this machine' : listOf(sources);
  const thisAddress = sources.length === 0 ? 'this machine\'s address' : sources.length === 1 ? `this address (${sources[0]})` : `these addresses (${listOf(sources)})`;
  const destination = places.destination ? places.destination : 'the office server';
  const filled = template.replaceAll('{source}', source).replaceAll('{thisAddress}', thisAddress).replaceAll('{destination}', destination);
  // "{destination} did not answer" without a destination starts with "the office server".
  return filled.charAt(0).toUpperCase() + filled.slice(1);
}

/** "a", "a and b", "a, b and 3 more". */
function listOf(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  const shown = items.slice(0, 2).join(', ');
  return `${shown} and ${items.length - 2} more`;
}

interface Normalised {
  code: number | null;
  enhanced: string | null;
  response: string | null;
  errorCode: string | null;
  stage: AttemptStage | null;
  outcome: AttemptOutcome | null;
}

/**
 * A multi-line reply as one line: each continuation's code and enhanced code dropped (RFC 5321 4.2.1), so a
 * pattern also matches words that Gmail wraps onto the next line ("unusual rate of\n421-4.7.0 unsolicited").
 */
function oneLine(response: string): string {
  return response.replace(/\r?\n[2-5]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}(?=\s|$))?\s*/g, ' ');
}

function matches(match: FailureMatch, facts: Normalised): boolean {
  if (match.codes && !match.codes.some((pattern) => codeMatches(pattern, facts.code))) return false;
  if (match.enhanced && (facts.enhanced === null || !match.enhanced.test(facts.enhanced))) return false;
  if (match.text && (facts.response === null || !match.text.test(facts.response))) return false;
  if (match.errorCodes && (facts.errorCode === null || !match.errorCodes.includes(facts.errorCode))) return false;
  if (match.stages && (facts.stage === null || !match.stages.includes(facts.stage))) return false;
  if (match.outcomes && (facts.outcome === null || !match.outcomes.includes(facts.outcome))) return false;
  return true;
}

function codeMatches(pattern: CodePattern, code: number | null): boolean {
  if (pattern === 'none') return code === null;
  if (code === null) return false;
  if (typeof pattern === 'number') return code === pattern;
  return Math.floor(code / 100) === Number(pattern[0]);
}
