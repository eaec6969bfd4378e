/**
 * The published queue-depth figures (docs/BENCHMARKS.md §5.7, upstream `04824ae`),
 * shown next to ours on the `all` scoreboard when a run uses the published
 * configuration. Deltas as printed (two decimals).
 */

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
