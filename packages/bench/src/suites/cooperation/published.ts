/**
 * The published cooperation figures (docs/BENCHMARKS.md §5.7, upstream `04824ae`),
 * shown next to ours on the `all` scoreboard when a run uses the published
 * configuration. Deltas as printed (two decimals).
 */

/** P3, cooperation (100 instances, SLO 0.80 / 2,500 ms): Delta per candidate. */
export const PUBLISHED_COOPERATION: Readonly<Record<string, number>> = {
  'No-CB': -69611.12,
  Levee: 79171.74,
  'Static-BAU': 67705.71,
  'Static-Peak': 70098.49,
};
