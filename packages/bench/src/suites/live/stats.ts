/**
 * Small statistics of the live benchmark: quantiles, and the recovery time
 * of a phase.
 */

/**
 * The q-quantile of `values` by nearest rank (the smallest value with at
 * least a share q of the values at or below it); NaN for no values. Sorts a
 * copy.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** The window recovery is judged on, ns: a quarter second (four windows per second). */
export const RECOVERY_WINDOW_NS = 250e6;
/**
 * A window is healthy when at least this share of the requests scheduled in
 * it succeeded. Recovery phases run at half the capacity (or at the client
 * rate, far below the dependency's), where a healthy service answers every
 * request in time; the 10 % slack absorbs the noise of a quarter second's
 * Poisson arrivals and a stray slow answer without calling a degraded
 * service recovered.
 */
export const RECOVERY_THRESHOLD = 0.9;

/**
 * Seconds from the phase start until it recovered for good: the start of the
 * first window from which every window to the end of the phase is healthy
 * (windows of `RECOVERY_WINDOW_NS` from the start; one without requests is
 * healthy). Null when the last window is not healthy (not recovered within
 * the phase). `offsetsNs[i]`: when request i was scheduled, from the phase
 * start; `good[i]`: it succeeded.
 */
export function recoverySeconds(
  offsetsNs: readonly number[],
  good: readonly boolean[],
  durationNs: number,
): number | null {
  const windows = Math.max(1, Math.ceil(durationNs / RECOVERY_WINDOW_NS));
  const total = new Array<number>(windows).fill(0);
  const ok = new Array<number>(windows).fill(0);
  for (let i = 0; i < offsetsNs.length; i++) {
    const w = Math.min(windows - 1, Math.max(0, Math.floor(offsetsNs[i]! / RECOVERY_WINDOW_NS)));
    total[w]!++;
    if (good[i]) ok[w]!++;
  }
  const healthy = (w: number): boolean =>
    total[w] === 0 || ok[w]! >= RECOVERY_THRESHOLD * total[w]!;
  if (!healthy(windows - 1)) return null;
  let first = windows - 1;
  while (first > 0 && healthy(first - 1)) first--;
  return (first * RECOVERY_WINDOW_NS) / 1e9;
}
