/**
 * The published reference-run figures (docs/BENCHMARKS.md §5.7, upstream `04824ae`),
 * shown next to ours on the `all` scoreboard when a run uses the published
 * configuration. Deltas as printed (two decimals).
 */

/** P1, the reference ("isolated") run: Delta per candidate. */
export const PUBLISHED_REFERENCE: Readonly<Record<string, number>> = {
  'No-CB': -69611.12,
  Levee: 71069.35,
  'Static-BAU': 52985.64,
  'Static-Peak': 61497.68,
};
