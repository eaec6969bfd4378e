/**
 * The metric table shared by the Prometheus and OpenTelemetry bindings: one
 * row per metric with both names, the help text, the unit, the kind, the
 * labels and how its values are read from an instance. The README's metric
 * reference describes the same table.
 *
 * @module
 */
import { TRANSITIONS, type Transition } from '../core/transitions.js';
import type { Counters, State, TransitionCount } from '../core/types.js';
import { STATES } from '../core/types.js';
import type { SourceEntry } from './source.js';

/** Admission decisions, each a field of {@link Counters}. */
const DECISIONS = ['admitted', 'rejected'] as const satisfies ReadonlyArray<keyof Counters>;

/** Outcome label values of completed calls, with the {@link Counters} field each reads. */
const OUTCOMES = [
  ['success', 'succeeded'],
  ['failure', 'failed'],
  ['cancelled', 'cancelled'],
] as const satisfies ReadonlyArray<readonly [string, keyof Counters]>;

/** The states in lifecycle order, for grouping transitions by the state they leave. */
const LIFECYCLE: readonly State[] = ['CLOSED', 'THROTTLED', 'OPEN', 'HALF_OPEN'];

/**
 * Every transition the state machine can make, grouped by the state left and
 * then the state entered, in lifecycle order (a stable sort of the core's
 * list). They are reported from the start, with 0 until they happen, so that
 * `increase()` and `rate()` see the first occurrence.
 */
export const KNOWN_TRANSITIONS: readonly Transition[] = [...TRANSITIONS].sort(
  (a, b) =>
    LIFECYCLE.indexOf(a.from) - LIFECYCLE.indexOf(b.from) ||
    LIFECYCLE.indexOf(a.to) - LIFECYCLE.indexOf(b.to),
);

/** The known transitions with their counts (0 when absent), then any other transition counted. */
export function mergeTransitions(
  counts: readonly TransitionCount[],
  known: readonly Transition[] = KNOWN_TRANSITIONS,
): TransitionCount[] {
  const id = (x: Transition): string => `${x.from}|${x.to}|${x.trigger}`;
  const byId = new Map<string, TransitionCount>();
  for (const c of counts) byId.set(id(c), c);
  const out: TransitionCount[] = [];
  for (const k of known) {
    const i = id(k);
    out.push({ ...k, count: byId.get(i)?.count ?? 0 });
    byId.delete(i);
  }
  for (const c of byId.values()) out.push(c);
  return out;
}

/**
 * How a metric is exposed: a gauge, a monotonic counter, or an up-down
 * count (an up-down counter in OpenTelemetry, a gauge in Prometheus).
 */
export type MetricKind = 'gauge' | 'counter' | 'updown';

/** One label of a metric: its Prometheus label name and its OpenTelemetry attribute key. */
export interface MetricLabel {
  readonly prom: string;
  readonly otel: string;
}

/** Called once per series of one instance: the value, then one value per label, in order. */
export type Emit = (value: number, ...labelValues: string[]) => void;

/** One row of the metric table. */
export interface MetricSpec {
  /** Prometheus name without the prefix (counters end in `_total`). */
  readonly prom: string;
  /** OpenTelemetry instrument name. */
  readonly otel: string;
  readonly kind: MetricKind;
  /** OpenTelemetry unit (UCUM); none for the 0/1 gauges. */
  readonly unit?: string;
  /** Prometheus `# HELP`, and the OpenTelemetry description unless `description` is set. */
  readonly help: string;
  /** OpenTelemetry description, where it differs from `help` (it names attributes, not labels). */
  readonly description?: string;
  readonly labels: readonly MetricLabel[];
  /** Emits the series of one instance. */
  readonly read: (entry: SourceEntry, emit: Emit) => void;
}

const STATE: MetricLabel = { prom: 'state', otel: 'levee.state' };
const DECISION: MetricLabel = { prom: 'decision', otel: 'levee.decision' };
const OUTCOME: MetricLabel = { prom: 'outcome', otel: 'levee.outcome' };
const FROM: MetricLabel = { prom: 'from', otel: 'levee.transition.from' };
const TO: MetricLabel = { prom: 'to', otel: 'levee.transition.to' };
const TRIGGER: MetricLabel = { prom: 'trigger', otel: 'levee.transition.trigger' };

/**
 * The error budget `1 − successRate` as a clean number: the complement of the
 * decimal the SLO was written as. `1 - 0.9` in binary floating point is
 * 0.09999999999999998 (0.9 has no exact binary form; the subtraction itself
 * is exact), which a scrape would print as is. Instead, the shortest decimal
 * that round-trips to `successRate` (what `String()` gives, i.e. what the
 * user wrote) is subtracted from 1 in integer decimal arithmetic and rounded
 * once: `0.9` → `0.1`, `0.999` → `0.001`. The result differs from
 * `1 - successRate` by at most half an ulp of `successRate` (the rounding of
 * that decimal), far below anything the budget is compared with.
 */
export function errorBudget(successRate: number): number {
  // `String()` of a number in (0, 1): `0.ddd`, or `d.ddde-N` below 1e-6.
  const m = /^(?:0\.(\d+)|(\d)(?:\.(\d+))?e-(\d+))$/.exec(String(successRate));
  if (m === null) return 1 - successRate;
  // successRate = digits × 10^-places, exactly.
  const digits = m[1] ?? `${m[2]}${m[3] ?? ''}`;
  const places = m[1] !== undefined ? m[1].length : Number(m[4]) + (m[3]?.length ?? 0);
  const complement = 10n ** BigInt(places) - BigInt(digits);
  return Number(`${complement}e-${places}`);
}

/** A metric with one series per instance and no label of its own. */
function one(read: (entry: SourceEntry) => number): MetricSpec['read'] {
  return (entry, emit) => emit(read(entry));
}

/** The metrics, in the order they are registered and reported. */
export const METRICS: readonly MetricSpec[] = [
  {
    prom: 'state',
    otel: 'levee.state',
    kind: 'gauge',
    help: 'Current state of the breaker: 1 for the state it is in, 0 for the other three.',
    labels: [STATE],
    read: ({ snapshot }, emit) => {
      for (const state of STATES) emit(snapshot.state === state ? 1 : 0, state);
    },
  },
  {
    prom: 'inflight',
    otel: 'levee.inflight',
    kind: 'updown',
    unit: '{call}',
    help: 'Admitted calls not yet completed.',
    labels: [],
    read: one((e) => e.snapshot.inflight),
  },
  {
    prom: 'capped',
    otel: 'levee.capped',
    kind: 'gauge',
    help: '1 while an inflight limit is enforced (THROTTLED, HALF_OPEN, OPEN, or CLOSED during graduated recovery), else 0.',
    labels: [],
    read: one((e) => (e.snapshot.capped ? 1 : 0)),
  },
  {
    prom: 'limit',
    otel: 'levee.limit',
    kind: 'gauge',
    unit: '{call}',
    help: 'Inflight limit enforced while capped; absent while uncapped (no limit).',
    description: 'Inflight limit enforced while capped; not reported while uncapped (no limit).',
    labels: [],
    read: ({ snapshot }, emit) => {
      if (snapshot.capped) emit(snapshot.limit);
    },
  },
  {
    prom: 'estimated_capacity',
    otel: 'levee.estimated_capacity',
    kind: 'gauge',
    unit: '{call}',
    help: "Estimated healthy concurrency of the dependency (Little's law: goodput times average success latency).",
    labels: [],
    read: one((e) => e.snapshot.estimatedCapacity),
  },
  {
    prom: 'error_ratio',
    otel: 'levee.error.ratio',
    kind: 'gauge',
    unit: '1',
    help: 'Error-rate estimate (EWMA with a 3 s half-life on the event clock), between 0 and 1.',
    labels: [],
    read: one((e) => e.snapshot.errorRate),
  },
  {
    prom: 'error_lower_bound_ratio',
    otel: 'levee.error.lower_bound',
    kind: 'gauge',
    unit: '1',
    help: 'Wilson lower bound on the error rate; a CLOSED breaker throttles when it exceeds the error budget.',
    labels: [],
    read: one((e) => e.snapshot.errorLowerBound),
  },
  {
    prom: 'error_budget_ratio',
    otel: 'levee.error.budget',
    kind: 'gauge',
    unit: '1',
    help: 'Error budget of the SLO: 1 - successRate.',
    labels: [],
    read: one((e) => errorBudget(e.levee.slo.successRate)),
  },
  {
    prom: 'latency_seconds',
    otel: 'levee.latency',
    kind: 'gauge',
    unit: 's',
    help: 'Average latency of successful calls (EWMA), in seconds.',
    description: 'Average latency of successful calls (EWMA).',
    labels: [],
    read: one((e) => e.snapshot.latencyMs / 1000),
  },
  {
    prom: 'admissions_total',
    otel: 'levee.admissions',
    kind: 'counter',
    unit: '{call}',
    help: 'Admission decisions since the breaker was created, by decision (admitted or rejected).',
    description: 'Admission decisions since the breaker was created, by levee.decision.',
    labels: [DECISION],
    read: ({ snapshot: { counters } }, emit) => {
      for (const decision of DECISIONS) emit(counters[decision], decision);
    },
  },
  {
    prom: 'calls_total',
    otel: 'levee.calls',
    kind: 'counter',
    unit: '{call}',
    help: 'Admitted calls completed since the breaker was created, by outcome (success, failure or cancelled).',
    description: 'Admitted calls completed since the breaker was created, by levee.outcome.',
    labels: [OUTCOME],
    read: ({ snapshot: { counters } }, emit) => {
      for (const [outcome, field] of OUTCOMES) emit(counters[field], outcome);
    },
  },
  {
    prom: 'transitions_total',
    otel: 'levee.transitions',
    kind: 'counter',
    unit: '{transition}',
    help: 'State transitions since the breaker was created, by from, to and trigger.',
    labels: [FROM, TO, TRIGGER],
    read: ({ levee }, emit) => {
      for (const t of mergeTransitions(levee.transitionCounts(), KNOWN_TRANSITIONS)) {
        emit(t.count, t.from, t.to, t.trigger);
      }
    },
  },
];
