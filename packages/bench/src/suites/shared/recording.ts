/**
 * Helpers every suite's recorder uses to fill per-second trace columns: the
 * breaker-state codes of the state-share columns and the spreading of a time
 * span over the per-second rows it covers.
 */
import type { CandidateState } from '../../candidates/candidate.js';

const NS_PER_S = 1e9;

/** The breaker states in column order (index = state code). */
export const TRACE_STATES = ['CLOSED', 'THROTTLED', 'HALF_OPEN', 'OPEN'] as const;

/** Column index of a breaker state (`TRACE_STATES` order). */
export function stateCode(state: CandidateState): number {
  switch (state) {
    case 'CLOSED':
      return 0;
    case 'THROTTLED':
      return 1;
    case 'HALF_OPEN':
      return 2;
    default:
      return 3;
  }
}

/** Add the span [fromNs, toNs) to the per-second ns totals in `col` (rows past the end clamp, or are dropped when `clamp` is false). */
export function addSpan(
  col: Float64Array,
  fromNs: number,
  toNs: number,
  rows: number,
  clamp = true,
): void {
  let first = Math.floor(fromNs / NS_PER_S);
  let last = Math.floor(toNs / NS_PER_S);
  if (first >= rows) {
    if (!clamp) return;
    col[rows - 1]! += toNs - fromNs;
    return;
  }
  if (last >= rows) {
    if (clamp) {
      col[rows - 1]! += toNs - rows * NS_PER_S;
    }
    last = rows;
    toNs = rows * NS_PER_S;
  }
  if (first === last) {
    col[first]! += toNs - fromNs;
    return;
  }
  col[first]! += (first + 1) * NS_PER_S - fromNs;
  for (first++; first < last; first++) col[first]! += NS_PER_S;
  if (last < rows) col[last]! += toNs - last * NS_PER_S;
}
