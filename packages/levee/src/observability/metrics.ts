/**
 * Vocabulary shared by the Prometheus and OpenTelemetry bindings.
 *
 * @module
 */
import type { Counters, State, TransitionCount, Trigger } from '../core/types.js';

/** Admission decisions, each a field of {@link Counters}. */
export const DECISIONS = ['admitted', 'rejected'] as const satisfies ReadonlyArray<keyof Counters>;

/** Outcome label values of completed calls, with the {@link Counters} field each reads. */
export const OUTCOMES = [
  ['success', 'succeeded'],
  ['failure', 'failed'],
  ['cancelled', 'cancelled'],
] as const satisfies ReadonlyArray<readonly [string, keyof Counters]>;

type Transition = Omit<TransitionCount, 'count'>;

function t(from: State, to: State, trigger: Exclude<Trigger, 'NONE'>): Transition {
  return { from, to, trigger };
}

/**
 * Every transition the state machine can make (ALGORITHM.md). They are
 * reported from the start, with 0 until they happen, so that `increase()` and
 * `rate()` see the first occurrence.
 */
export const KNOWN_TRANSITIONS: readonly Transition[] = [
  t('CLOSED', 'THROTTLED', 'FAILURE_RATE'),
  t('CLOSED', 'THROTTLED', 'CONSECUTIVE_FAILURES'),
  t('CLOSED', 'THROTTLED', 'SURGE'),
  t('THROTTLED', 'CLOSED', 'RECOVERED'),
  t('THROTTLED', 'OPEN', 'MIN_LIMIT_FAILURE_RATE'),
  t('OPEN', 'HALF_OPEN', 'COOLDOWN_EXPIRED'),
  t('HALF_OPEN', 'CLOSED', 'RECOVERED'),
  t('HALF_OPEN', 'OPEN', 'MIN_LIMIT_FAILURE_RATE'),
];

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
