/**
 * The default outcome of an outbound request (`fetch` wrapper and undici
 * interceptor alike): 5xx and 429 are failures, any other status a success;
 * without a response, Levee's deadline is a failure, the caller's abort is
 * ignored unless its reason is a timeout, and any other error is a failure.
 *
 * @internal
 * @module
 */
import { isTimeoutError } from './timeout.js';

/** True for statuses that count as failures by default: 5xx and 429. */
export function isFailureStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** The facts about a request that ended without a response. */
export interface NoResponseFacts {
  /** Levee's deadline fired first. */
  readonly timedOut: boolean;
  /** The caller aborted first. */
  readonly callerAborted: boolean;
}

/** The default outcome of a request that failed before its response headers. */
export function noResponseOutcome(err: unknown, facts: NoResponseFacts): 'failure' | 'ignore' {
  if (facts.timedOut) return 'failure';
  if (facts.callerAborted) return isTimeoutError(err) ? 'failure' : 'ignore';
  return 'failure';
}
