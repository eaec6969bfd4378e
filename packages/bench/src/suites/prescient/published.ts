/**
 * The published open-loop table (docs/BENCHMARKS.md §4.4, upstream `04824ae`):
 * Cyber Monday, seed 20241225, SLO 0.90 / 1,500 ms. Penalties as printed
 * (whole numbers); upstream's bucket phase is wall-clock dependent (§4.5).
 */

export interface PublishedPrescientRow {
  candidate: string;
  blocked: number;
  allowed: number;
  flap: number;
  falseAlarm: number;
  lateDetect: number;
  badTraffic: number;
  lostBusiness: number;
  totalPenalty: number;
}

export const PUBLISHED_PRESCIENT: readonly PublishedPrescientRow[] = [
  {
    candidate: 'Prescient',
    blocked: 773832,
    allowed: 55751328,
    flap: 0,
    falseAlarm: 0,
    lateDetect: 0,
    badTraffic: 0,
    lostBusiness: 0,
    totalPenalty: 0,
  },
  {
    candidate: 'Levee',
    blocked: 4084069,
    allowed: 52441091,
    flap: 4,
    falseAlarm: 1,
    lateDetect: 0,
    badTraffic: 3449,
    lostBusiness: 11728,
    totalPenalty: 15177,
  },
  {
    candidate: 'Static-Peak',
    blocked: 3737675,
    allowed: 52787485,
    flap: 4,
    falseAlarm: 0,
    lateDetect: 1,
    badTraffic: 24431,
    lostBusiness: 5636,
    totalPenalty: 30067,
  },
  {
    candidate: 'Static-BAU',
    blocked: 4249310,
    allowed: 52275850,
    flap: 35,
    falseAlarm: 8,
    lateDetect: 0,
    badTraffic: 13201,
    lostBusiness: 29892,
    totalPenalty: 43093,
  },
];

/** The published row of `candidate` (display name), or undefined. */
export function publishedPrescientRow(candidate: string): PublishedPrescientRow | undefined {
  return PUBLISHED_PRESCIENT.find((r) => r.candidate === candidate);
}
