/**
 * Levee: a self-tuning circuit breaker and adaptive concurrency limiter.
 * Configure it with an SLO; it matches admitted load to the dependency's
 * capacity, opens only for catastrophic failure, and probes back with backoff.
 *
 * @packageDocumentation
 */
export { CircuitOpenError, isCircuitOpenError, LeveeUsageError } from './errors.js';
export type { Thresholds } from './estimators.js';
export {
  deriveThresholds,
  effectiveSamples,
  errorLowerBound,
  ewmaAlpha,
  requestRate,
  weightCap,
  wilsonLowerBound,
} from './estimators.js';
export type { CallOptions } from './levee.js';
export { Levee, Permit, validateSLO } from './levee.js';
export { probit } from './probit.js';
export type {
  Admission,
  Counters,
  LeveeOptions,
  SLO,
  Snapshot,
  State,
  StateChange,
  StateChangeEvent,
  Subscription,
  SurgeSnapshot,
  TransitionCount,
  Trigger,
} from './types.js';
export { STATES, TRIGGERS } from './types.js';
