/**
 * How the backend degrades with its EWMA load L (docs/BENCHMARKS.md §5.4 step 5):
 * a multiplier on the reported latency and an extra (overload) error
 * probability. Both are continuous, piecewise linear in L; expressions are
 * evaluated in the spec's operation order so results are bit-exact.
 */

/** Reported-latency multiplier: 1 up to L 0.8, 1.5 at 1.0, 3 at 1.5, 10 from 2.5. */
export function latencyMultiplier(load: number): number {
  if (load <= 0.8) return 1;
  if (load <= 1.0) return 1 + (0.5 * (load - 0.8)) / 0.2;
  if (load <= 1.5) return 1.5 + (1.5 * (load - 1)) / 0.5;
  if (load <= 2.5) return 3 + 7 * (load - 1.5);
  return 10;
}

/** Extra error probability: 0 up to L 1.0, 0.10 at 1.5, 0.40 from 2.5. */
export function extraErrorRate(load: number): number {
  if (load <= 1) return 0;
  if (load <= 1.5) return (0.1 * (load - 1)) / 0.5;
  if (load <= 2.5) return 0.1 + 0.3 * (load - 1.5);
  return 0.4;
}
