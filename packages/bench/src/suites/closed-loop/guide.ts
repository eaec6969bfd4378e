/**
 * How to read the closed-loop suites' figures (closed-loop and its sweeps),
 * for the report page's header: Delta and its two factors (docs/BENCHMARKS.md
 * §5.5, src/sim/scoring/epoch-scorer.ts).
 */
import type { SuiteGuide } from '../shared/suite.js';

/** Delta, its two factors, and why more successes need not win. */
export const DELTA_EXPLANATION = `Delta = (SuccessScore − FailureScore) × Allowed / (Allowed + Blocked).
SuccessScore and FailureScore are √(Σ 5·n²) over 200 ms epochs, n being the
successes (or failures) completed in the epoch: squaring rewards sustained
throughput and makes a storm of failures cost more than the same failures
spread thinly. The second factor, the share of requests admitted, charges
the candidate for every request it blocked.

So a candidate with more successes can still lose, by failing in bursts or
by blocking more; a negative Delta means the failures outweighed the
successes. Compare Deltas only between runs of the same workload, specs and
seed.`;

export const DELTA_GUIDE: SuiteGuide = {
  metric: 'Delta',
  higherIsBetter: true,
  explanation: DELTA_EXPLANATION,
};
