/**
 * Levee: a self-tuning circuit breaker and adaptive concurrency limiter.
 * Configure it with an SLO; it matches admitted load to the dependency's
 * capacity, opens only for catastrophic failure, and probes back with backoff.
 *
 * @packageDocumentation
 */
export type { ShedCode, ShedReason } from './core/errors.js';
export {
  CircuitOpenError,
  findShedError,
  isCircuitOpenError,
  isLimitReachedError,
  isShedError,
  LeveeUsageError,
  LimitReachedError,
  MAX_RETRY_AFTER_MS,
  ShedError,
} from './core/errors.js';
export type { Thresholds } from './core/estimators.js';
export type { CallOptions } from './core/levee.js';
export { Levee, Permit, validateSLO } from './core/levee.js';
export type {
  Admission,
  Counters,
  EstimatorName,
  LeveeConfig,
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
} from './core/types.js';
export { STATES, TRIGGERS } from './core/types.js';
