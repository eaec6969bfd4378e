/**
 * The legal transitions of the state machine: the one list that the core
 * counts (`Levee.transitionCounts()`) and the metric bindings report.
 *
 * @module
 */
import { STATES, type State, TRIGGERS, type Trigger } from './types.js';

/** One legal (from, to, trigger) transition. */
export interface Transition {
  readonly from: State;
  readonly to: State;
  readonly trigger: Exclude<Trigger, 'NONE'>;
}

function t(from: State, to: State, trigger: Exclude<Trigger, 'NONE'>): Transition {
  return Object.freeze({ from, to, trigger });
}

/**
 * The eight legal transitions, in the order of the transition table of
 * docs/ALGORITHM.md §2.3 (T1–T7; T5 and T7 from either capped state).
 * `transitionCounts()` lists them in this order.
 */
export const TRANSITIONS: readonly Transition[] = Object.freeze([
  t('CLOSED', 'THROTTLED', 'FAILURE_RATE'),
  t('CLOSED', 'THROTTLED', 'CONSECUTIVE_FAILURES'),
  t('CLOSED', 'THROTTLED', 'SURGE'),
  t('THROTTLED', 'OPEN', 'MIN_LIMIT_FAILURE_RATE'),
  t('HALF_OPEN', 'OPEN', 'MIN_LIMIT_FAILURE_RATE'),
  t('OPEN', 'HALF_OPEN', 'COOLDOWN_EXPIRED'),
  t('THROTTLED', 'CLOSED', 'RECOVERED'),
  t('HALF_OPEN', 'CLOSED', 'RECOVERED'),
]);

/**
 * Index into {@link TRANSITIONS} of each (from, to, trigger) by their numeric
 * codes (positions in STATES and TRIGGERS): `(from × 4 + to) × 7 + trigger`;
 * −1 for an illegal transition.
 */
export const TRANSITION_SLOTS: Int8Array = new Int8Array(
  STATES.length * STATES.length * TRIGGERS.length,
).fill(-1);
TRANSITIONS.forEach((k, i) => {
  const code =
    (STATES.indexOf(k.from) * STATES.length + STATES.indexOf(k.to)) * TRIGGERS.length +
    TRIGGERS.indexOf(k.trigger);
  TRANSITION_SLOTS[code] = i;
});
