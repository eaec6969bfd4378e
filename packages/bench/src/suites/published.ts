/**
 * The published closed-loop figures (BENCHMARKS.md §5.7, upstream `04824ae`),
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

/** P4, SLO sweep: Levee Delta per success rate (Static-Peak 61,497.68 throughout). */
export const PUBLISHED_SLO_SWEEP: ReadonlyArray<{ successRate: number; levee: number }> = [
  { successRate: 0.99, levee: 75329.45 },
  { successRate: 0.95, levee: 72260.84 },
  { successRate: 0.9, levee: 71069.35 },
  { successRate: 0.8, levee: 73097.47 },
  { successRate: 0.7, levee: 70348.76 },
];

/** P5, queue-depth sweep: Delta and backend crashes of Levee and Static-Peak per multiplier. */
export const PUBLISHED_QUEUE_DEPTH: ReadonlyArray<{
  multiplier: number;
  levee: number;
  staticPeak: number;
  leveeCrashes: number;
  staticPeakCrashes: number;
}> = [
  { multiplier: 0.2, levee: 82418.5, staticPeak: 63740.62, leveeCrashes: 0, staticPeakCrashes: 0 },
  { multiplier: 0.5, levee: 77100.45, staticPeak: 65115.33, leveeCrashes: 0, staticPeakCrashes: 1 },
  {
    multiplier: 1.0,
    levee: 71069.35,
    staticPeak: 61497.68,
    leveeCrashes: 0,
    staticPeakCrashes: 50,
  },
  {
    multiplier: 1.4,
    levee: 71808.86,
    staticPeak: 61422.87,
    leveeCrashes: 0,
    staticPeakCrashes: 65,
  },
  {
    multiplier: 2.0,
    levee: 70616.16,
    staticPeak: 53028.48,
    leveeCrashes: 9,
    staticPeakCrashes: 85,
  },
];

/** P3, cooperation (100 instances, SLO 0.80 / 2,500 ms): Delta per candidate. */
export const PUBLISHED_COOPERATION: Readonly<Record<string, number>> = {
  'No-CB': -69611.12,
  Levee: 79171.74,
  'Static-BAU': 67705.71,
  'Static-Peak': 70098.49,
};

/** The best of a published Delta table, excluding Levee. */
export function publishedBest(table: Readonly<Record<string, number>>): {
  best: number;
  bestName: string;
} {
  let bestName = '';
  let best = Number.NEGATIVE_INFINITY;
  for (const [name, value] of Object.entries(table)) {
    if (name !== 'Levee' && value > best) {
      best = value;
      bestName = name;
    }
  }
  return { best, bestName };
}
