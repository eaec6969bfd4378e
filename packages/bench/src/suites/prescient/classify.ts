/**
 * Transition classification of the open-loop suite (docs/BENCHMARKS.md §4.3).
 *
 * Every state the breaker returns (after `start`, `success` and `fail`) is
 * compared with the previous one; only changes of the *effective* state are
 * classified, where THROTTLED and HALF_OPEN count as OPEN (throttling already
 * is a detection, and merging OPEN↔HALF_OPEN probe cycles keeps one incident
 * from producing a string of late detections). The static breakers report
 * HALF_OPEN as OPEN themselves.
 *
 * "The oracle" at `t` is the oracle's state at the time of the call that made
 * the transition, evaluated from the workload (at a start event this is the
 * sample taken there); "opened"/"closed" times come from the sampled change
 * list.
 *
 * Becoming OPEN at `t`, first matching rule wins:
 * 1. the breaker last became CLOSED less than 60 s before → **flapping**
 *    (there is no last close before the first one, so the first opening
 *    never flaps);
 * 2. the oracle is CLOSED and no oracle-OPEN period overlaps
 *    `(t − 5 s, t + 5 s)` → **false alarm** (this looks into the oracle's
 *    future, which is known: the oracle depends on the workload alone);
 * 3. the oracle is OPEN: its change list's latest opening at or before `t`
 *    is more than 1 s old → **late detection**, otherwise (also when there is
 *    no such opening) → **detection** (good);
 * 4. otherwise (oracle CLOSED but an OPEN period within 5 s: an opening just
 *    before or just after an incident) → **near incident**, which upstream's
 *    rules leave unnamed and no published column counts.
 *
 * Becoming CLOSED at `t`: the oracle is OPEN → **premature recovery**; the
 * oracle's last change to CLOSED was more than 5 s before `t` → **slow
 * recovery** (also when closing after a false alarm long after an incident);
 * otherwise, including when the oracle has never closed (it starts CLOSED
 * without a change), → **recovery** (good).
 */
import type { CandidateState } from '../../candidates/candidate.js';
import type { OracleTimeline } from './oracle.js';

/** A breaker opening within this long after its last close is flapping. */
export const FLAP_WINDOW_NS = 60e9;
/** An opening with no oracle-OPEN time within ± this long is a false alarm. */
export const FALSE_ALARM_WINDOW_NS = 5e9;
/** An opening more than this long after the oracle opened is late. */
export const LATE_DETECTION_NS = 1e9;
/** A close more than this long after the oracle closed is slow. */
export const SLOW_RECOVERY_NS = 5e9;

export type EffectiveState = 'CLOSED' | 'OPEN';

/** THROTTLED and HALF_OPEN count as OPEN. */
export function effectiveState(state: CandidateState): EffectiveState {
  return state === 'CLOSED' ? 'CLOSED' : 'OPEN';
}

export type TransitionCategory =
  | 'flapping'
  | 'false-alarm'
  | 'late-detection'
  | 'detection'
  | 'near-incident'
  | 'premature-recovery'
  | 'slow-recovery'
  | 'recovery';

/** A change of effective state, at the time of the call that returned it. */
export interface EffectiveTransition {
  tNs: number;
  to: EffectiveState;
  /** The oracle's state at `tNs`. */
  oracleOpen: boolean;
}

export interface ClassifiedTransition extends EffectiveTransition {
  category: TransitionCategory;
}

/** How many effective transitions fell in each category. */
export interface TransitionCounts {
  flapping: number;
  falseAlarm: number;
  lateDetection: number;
  detection: number;
  nearIncident: number;
  prematureRecovery: number;
  slowRecovery: number;
  recovery: number;
}

export function emptyTransitionCounts(): TransitionCounts {
  return {
    flapping: 0,
    falseAlarm: 0,
    lateDetection: 0,
    detection: 0,
    nearIncident: 0,
    prematureRecovery: 0,
    slowRecovery: 0,
    recovery: 0,
  };
}

const COUNT_KEY: Record<TransitionCategory, keyof TransitionCounts> = {
  flapping: 'flapping',
  'false-alarm': 'falseAlarm',
  'late-detection': 'lateDetection',
  detection: 'detection',
  'near-incident': 'nearIncident',
  'premature-recovery': 'prematureRecovery',
  'slow-recovery': 'slowRecovery',
  recovery: 'recovery',
};

/**
 * Classifies one opening at `tNs` while the oracle is `oracleOpen`.
 * `lastCloseNs` is when the breaker last became CLOSED (undefined if never).
 */
export function classifyOpening(
  tNs: number,
  oracleOpen: boolean,
  lastCloseNs: number | undefined,
  oracle: OracleTimeline,
): TransitionCategory {
  if (lastCloseNs !== undefined && tNs - lastCloseNs < FLAP_WINDOW_NS) return 'flapping';
  if (oracleOpen) {
    const openedAt = oracle.lastOpenedAt(tNs);
    return openedAt !== undefined && tNs - openedAt > LATE_DETECTION_NS
      ? 'late-detection'
      : 'detection';
  }
  if (!oracle.openOverlaps(tNs - FALSE_ALARM_WINDOW_NS, tNs + FALSE_ALARM_WINDOW_NS)) {
    return 'false-alarm';
  }
  return 'near-incident';
}

/** Classifies one close at `tNs` while the oracle is `oracleOpen`. */
export function classifyClosing(
  tNs: number,
  oracleOpen: boolean,
  oracle: OracleTimeline,
): TransitionCategory {
  if (oracleOpen) return 'premature-recovery';
  const closedAt = oracle.lastClosedAt(tNs);
  if (closedAt !== undefined && tNs - closedAt > SLOW_RECOVERY_NS) return 'slow-recovery';
  return 'recovery';
}

/**
 * Classifies a run's effective transitions (in time order, alternating
 * between OPEN and CLOSED, the first one to OPEN) against the oracle.
 */
export function classifyTransitions(
  transitions: readonly EffectiveTransition[],
  oracle: OracleTimeline,
): { transitions: ClassifiedTransition[]; counts: TransitionCounts } {
  const counts = emptyTransitionCounts();
  const out: ClassifiedTransition[] = [];
  let lastCloseNs: number | undefined;
  for (const tr of transitions) {
    let category: TransitionCategory;
    if (tr.to === 'OPEN') {
      category = classifyOpening(tr.tNs, tr.oracleOpen, lastCloseNs, oracle);
    } else {
      category = classifyClosing(tr.tNs, tr.oracleOpen, oracle);
      lastCloseNs = tr.tNs;
    }
    counts[COUNT_KEY[category]]++;
    out.push({ tNs: tr.tNs, to: tr.to, oracleOpen: tr.oracleOpen, category });
  }
  return { transitions: out, counts };
}
