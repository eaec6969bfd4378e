/**
 * The published SLO-sweep figures (docs/BENCHMARKS.md §5.7, upstream `04824ae`),
 * shown next to ours on the `all` scoreboard when a run uses the published
 * configuration. Deltas as printed (two decimals).
 */

/** P4, SLO sweep: Levee Delta per success rate (Static-Peak 61,497.68 throughout). */
export const PUBLISHED_SLO_SWEEP: ReadonlyArray<{ successRate: number; levee: number }> = [
  { successRate: 0.99, levee: 75329.45 },
  { successRate: 0.95, levee: 72260.84 },
  { successRate: 0.9, levee: 71069.35 },
  { successRate: 0.8, levee: 73097.47 },
  { successRate: 0.7, levee: 70348.76 },
];
