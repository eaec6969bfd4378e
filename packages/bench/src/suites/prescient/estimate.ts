/**
 * The "Prescient" row of the open-loop table (docs/BENCHMARKS.md §4.3): an
 * estimate of what the oracle itself would have blocked, not a replay.
 *
 * blocked = Σ over the oracle's OPEN periods of
 * `trunc(totalRequests · periodLength / runLength)`, allowed =
 * totalRequests − blocked; penalties are 0 by definition. The periods come
 * from the sampled change list (a period still OPEN at the end runs to the
 * end of the run); the run length is from the first event to the last event
 * of the stream (the last completion). Lengths are taken in float seconds the
 * way Go's `Duration.Seconds()` computes them (whole seconds plus the
 * nanosecond remainder / 1e9) and the product is formed before the division.
 * For Cyber Monday, seed 20241225: 773,832 blocked, 55,751,328 allowed.
 */
import type { OraclePeriod } from './oracle.js';

export interface PrescientEstimate {
  blocked: number;
  allowed: number;
}

/** A non-negative ns duration in float seconds, as Go's `Duration.Seconds()`. */
export function durationSeconds(ns: number): number {
  const whole = Math.trunc(ns / 1e9);
  return whole + (ns - whole * 1e9) / 1e9;
}

export function prescientEstimate(
  totalRequests: number,
  periods: readonly OraclePeriod[],
  runLengthNs: number,
): PrescientEstimate {
  let blocked = 0;
  const runS = durationSeconds(runLengthNs);
  if (runS > 0) {
    for (const p of periods) {
      blocked += Math.trunc((totalRequests * durationSeconds(p.toNs - p.fromNs)) / runS);
    }
  }
  return { blocked, allowed: totalRequests - blocked };
}
