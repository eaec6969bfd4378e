import type { State, Trigger } from './types.js';

/**
 * Thrown (or rejected with) when Levee sheds a call: the circuit is OPEN, the
 * adaptive concurrency limit is full, or the one-probe-per-window rule holds.
 * The call was never started, so nothing downstream was touched.
 */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** Stable machine-readable code. */
  readonly code = 'ERR_CIRCUIT_OPEN';
  /** The breaker's state when the call was shed. */
  readonly state: State;
  /** The cause of the most recent state change (NONE if there was none yet). */
  readonly trigger: Trigger;
  /** A hint for clients: milliseconds until a retry has a fair chance of being admitted. */
  readonly retryAfterMs: number;

  constructor(state: State, trigger: Trigger, retryAfterMs: number) {
    super(`circuit breaker is open (state ${state}, trigger ${trigger})`);
    this.state = state;
    this.trigger = trigger;
    this.retryAfterMs = retryAfterMs;
  }
}

/** True when `err` is a {@link CircuitOpenError} (also across realms and duplicate installs). */
export function isCircuitOpenError(err: unknown): err is CircuitOpenError {
  return (
    err instanceof CircuitOpenError ||
    (typeof err === 'object' &&
      err !== null &&
      (err as { code?: unknown }).code === 'ERR_CIRCUIT_OPEN')
  );
}

/**
 * Misuse of the out-of-band API that would corrupt the accounting, e.g. a
 * completion reported when no call is in flight. Nothing is changed when it is
 * thrown.
 */
export class LeveeUsageError extends Error {
  override readonly name = 'LeveeUsageError';
  readonly code = 'ERR_LEVEE_USAGE';
}
