/**
 * The published load-variation figures (docs/BENCHMARKS.md §5.7, upstream `04824ae`),
 * shown next to ours on the `all` scoreboard when a run uses the published
 * configuration. Deltas as printed (two decimals).
 */

/** P2, load variation: Levee and Static-Peak Delta per variation name. */
export const PUBLISHED_LOAD_VARIATION: Readonly<
  Record<string, { levee: number; staticPeak: number }>
> = {
  baseline: { levee: 71069.35, staticPeak: 61497.68 },
  'half-RPM': { levee: 39729.27, staticPeak: 32181.96 },
  'double-RPM': { levee: 69169.92, staticPeak: 30173.17 },
  'low-err': { levee: 70891.68, staticPeak: 62947.18 },
  'high-err': { levee: 78930.57, staticPeak: 60636.4 },
  'low-RPM-high-err': { levee: 41617.24, staticPeak: 34962.62 },
  'high-RPM-low-err': { levee: 67501.68, staticPeak: 30737.44 },
};
