/**
 * `@leveejs/levee/otel`: OpenTelemetry metrics for Levee instances, through
 * `@opentelemetry/api` alone (bring your own SDK). Every instrument is
 * asynchronous: one batch callback reads `levee.snapshot()` and
 * `levee.transitionCounts()` of every instance when the SDK collects, and
 * nothing runs on the hot path.
 *
 * Requires the optional peer dependency `@opentelemetry/api` (1.x).
 *
 * ```ts
 * import { observeLevees } from '@leveejs/levee/otel';
 *
 * const observation = observeLevees(registry); // meter from the global MeterProvider
 * observation.stop();
 * ```
 *
 * @module
 */
import {
  type Attributes,
  type BatchObservableCallback,
  type Meter,
  metrics,
  type Observable,
} from '@opentelemetry/api';
import { STATES } from '../core/types.js';
import { DECISIONS, KNOWN_TRANSITIONS, mergeTransitions, OUTCOMES } from './metrics.js';
import { checkSource, type LeveeSource, readSource } from './source.js';

export type { LeveeSource } from './source.js';

/** Instrumentation scope name used when no meter is given. */
export const METER_NAME = '@leveejs/levee';

/** Options of {@link observeLevees}. */
export interface ObserveLeveesOptions {
  /** Meter to create the instruments with. Default: `metrics.getMeter('@leveejs/levee')` (global provider). */
  readonly meter?: Meter;
}

/** Handle returned by {@link observeLevees}. */
export interface LeveeObservation {
  /** Names of the instruments created. */
  readonly instrumentNames: readonly string[];
  /** Removes the batch callback: the instruments report nothing more. Idempotent. */
  stop(): void;
  /** Same as {@link LeveeObservation.stop}, for `using`. */
  [Symbol.dispose](): void;
}

const DISPOSE: typeof Symbol.dispose = (Symbol.dispose ??
  Symbol.for('Symbol.dispose')) as typeof Symbol.dispose;

/** `HALF_OPEN` → `half_open`: OpenTelemetry enum values are lowercase snake_case. */
function lower(value: string): string {
  return value.toLowerCase();
}

/**
 * Creates the Levee instruments (see the README's metric table) on a meter
 * and observes every instance of the source at each collection. The source is
 * read afresh each time, so instances added to or evicted from a registry
 * appear and disappear on their own.
 *
 * Call it once per meter: a second call with the same meter creates the same
 * instruments again and the SDK would receive duplicate observations.
 */
export function observeLevees(
  source: LeveeSource,
  options: ObserveLeveesOptions = {},
): LeveeObservation {
  checkSource(source, 'observeLevees');
  const meter = options.meter ?? metrics.getMeter(METER_NAME);

  const state = meter.createObservableGauge('levee.state', {
    description: 'Current state of the breaker: 1 for the state it is in, 0 for the other three.',
  });
  const inflight = meter.createObservableUpDownCounter('levee.inflight', {
    description: 'Admitted calls not yet completed.',
    unit: '{call}',
  });
  const capped = meter.createObservableGauge('levee.capped', {
    description:
      '1 while an inflight limit is enforced (THROTTLED, HALF_OPEN, OPEN, or CLOSED during graduated recovery), else 0.',
  });
  const limit = meter.createObservableGauge('levee.limit', {
    description: 'Inflight limit enforced while capped; not reported while uncapped (no limit).',
    unit: '{call}',
  });
  const capacity = meter.createObservableGauge('levee.estimated_capacity', {
    description:
      "Estimated healthy concurrency of the dependency (Little's law: goodput times average success latency).",
    unit: '{call}',
  });
  const errorRatio = meter.createObservableGauge('levee.error.ratio', {
    description:
      'Error-rate estimate (EWMA with a 3 s half-life on the event clock), between 0 and 1.',
    unit: '1',
  });
  const errorBound = meter.createObservableGauge('levee.error.lower_bound', {
    description:
      'Wilson lower bound on the error rate; a CLOSED breaker throttles when it exceeds the error budget.',
    unit: '1',
  });
  const errorBudget = meter.createObservableGauge('levee.error.budget', {
    description: 'Error budget of the SLO: 1 - successRate.',
    unit: '1',
  });
  const latency = meter.createObservableGauge('levee.latency', {
    description: 'Average latency of successful calls (EWMA).',
    unit: 's',
  });
  const admissions = meter.createObservableCounter('levee.admissions', {
    description: 'Admission decisions since the breaker was created, by levee.decision.',
    unit: '{call}',
  });
  const calls = meter.createObservableCounter('levee.calls', {
    description: 'Admitted calls completed since the breaker was created, by levee.outcome.',
    unit: '{call}',
  });
  const transitions = meter.createObservableCounter('levee.transitions', {
    description: 'State transitions since the breaker was created, by from, to and trigger.',
    unit: '{transition}',
  });
  const observables: Observable[] = [
    state,
    inflight,
    capped,
    limit,
    capacity,
    errorRatio,
    errorBound,
    errorBudget,
    latency,
    admissions,
    calls,
    transitions,
  ];

  const callback: BatchObservableCallback = (result) => {
    for (const { key, levee, snapshot } of readSource(source)) {
      const attrs: Attributes = { 'levee.key': key };
      for (const s of STATES) {
        result.observe(state, snapshot.state === s ? 1 : 0, { ...attrs, 'levee.state': lower(s) });
      }
      result.observe(inflight, snapshot.inflight, attrs);
      result.observe(capped, snapshot.capped ? 1 : 0, attrs);
      if (snapshot.capped) result.observe(limit, snapshot.limit, attrs);
      result.observe(capacity, snapshot.estimatedCapacity, attrs);
      result.observe(errorRatio, snapshot.errorRate, attrs);
      result.observe(errorBound, snapshot.errorLowerBound, attrs);
      result.observe(errorBudget, levee.thresholds.sloErr, attrs);
      result.observe(latency, snapshot.latencyMs / 1000, attrs);
      const { counters } = snapshot;
      for (const decision of DECISIONS) {
        result.observe(admissions, counters[decision], { ...attrs, 'levee.decision': decision });
      }
      for (const [outcome, field] of OUTCOMES) {
        result.observe(calls, counters[field], { ...attrs, 'levee.outcome': outcome });
      }
      for (const t of mergeTransitions(levee.transitionCounts(), KNOWN_TRANSITIONS)) {
        result.observe(transitions, t.count, {
          ...attrs,
          'levee.transition.from': lower(t.from),
          'levee.transition.to': lower(t.to),
          'levee.transition.trigger': lower(t.trigger),
        });
      }
    }
  };
  meter.addBatchObservableCallback(callback, observables);

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    meter.removeBatchObservableCallback(callback, observables);
  };
  return {
    instrumentNames: Object.freeze([
      'levee.state',
      'levee.inflight',
      'levee.capped',
      'levee.limit',
      'levee.estimated_capacity',
      'levee.error.ratio',
      'levee.error.lower_bound',
      'levee.error.budget',
      'levee.latency',
      'levee.admissions',
      'levee.calls',
      'levee.transitions',
    ]),
    stop,
    [DISPOSE]: stop,
  };
}
