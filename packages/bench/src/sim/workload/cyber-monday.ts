/**
 * The Cyber Monday workload (docs/BENCHMARKS.md §2), generated from its formulas.
 *
 * 122 specs over 100,800 s (28 h): 4 calm hours (Sunday 20:00–24:00), then
 * the 24 hours of Cyber Monday — a midnight crash and retry storm, an hourly
 * sale spike with a 3-minute decay, mega-spikes at 10:00 and 18:00, and a
 * "business as usual" degradation that inflates latency and the healthy error
 * rate late in the day.
 *
 * Every value is computed in float64 in the operation order of the formulas
 * (left to right, products before sums) and RPMs are truncated like Go's
 * `int()`, which reproduces `cyber-monday.json` bit for bit (e.g. 68,399 RPM,
 * error rate 0.037500000000000006). One exception to left-to-right, found by
 * comparing with the reference list: the hour 1–9 spike is `6000·(B·M)`
 * (see below). The tests compare all 122 specs.
 */
import type { LoadSpec } from './load-spec.js';

/** Baseline rate: 6,000 RPM (100 RPS = "1×"). */
export const BASE_RPM = 6000;
/** Healthy error rate. */
export const HEALTHY_ERROR_RATE = 0.005;
/** Timeout of every spec, ms. */
export const TIMEOUT_MS = 1500;
/** Length of the calm lead-in (Sunday 20:00–24:00), seconds. */
export const LEAD_IN_S = 14400;
/** The base seed every suite uses. */
export const BENCH_SEED = 20241225;
/** The closed-loop backend's incident threshold (§2.4, §5.4): errorRate > 0.10. */
export const INCIDENT_ERROR_RATE = 0.1;

/**
 * "BAU degradation" multiplier for Cyber Monday hour `h` (§2.1):
 * 1 before 10:00; `1 + 0.5·(h − 10)/8` for 10 ≤ h < 18; `1.5 + 1.5·(h − 18)/5` from 18:00.
 */
export function degradation(hour: number): number {
  if (hour < 10) {
    return 1.0;
  }
  if (hour < 18) {
    return 1.0 + (0.5 * (hour - 10)) / 8;
  }
  return 1.5 + (1.5 * (hour - 18)) / 5;
}

/** Whether the closed-loop backend treats a spec as an incident: `errorRate > 0.10`. */
export function isIncident(spec: Pick<LoadSpec, 'errorRate'>): boolean {
  return spec.errorRate > INCIDENT_ERROR_RATE;
}

/**
 * Closed-loop baseline error rate per spec index (§5.4):
 * `0.005 × degradation(hour)` with `hour = floor(start / 3600) − 4` clamped to
 * 0..23, where `start` is the spec's nominal start offset (Σ of the previous
 * durations, seconds). A spec that carries its own `baselineErrorRate`
 * overrides the formula. This is the `schedule` rule of src/sim/workload/baseline.ts
 * (the built-in workload); workload files use that module's per-spec rule.
 */
export function baselineErrorRates(specs: readonly LoadSpec[]): number[] {
  const out: number[] = [];
  let start = 0;
  for (const spec of specs) {
    const hour = Math.min(23, Math.max(0, Math.floor(start / 3600) - 4));
    out.push(spec.baselineErrorRate ?? HEALTHY_ERROR_RATE * degradation(hour));
    start += spec.durationS;
  }
  return out;
}

function spec(
  rpm: number,
  errorRate: number,
  durationS: number,
  p50Ms: number,
  p99Ms: number,
): LoadSpec {
  return { rpm, errorRate, durationS, p50Ms, p99Ms, timeoutMs: TIMEOUT_MS };
}

/** The three decay minutes k = 1, 2, 3 use d = 1 − 0.25·k. */
function decayD(k: number): number {
  return 1 - 0.25 * k;
}

/** Generates the 122 Cyber Monday specs. Returns fresh objects on every call. */
export function cyberMonday(): LoadSpec[] {
  const out: LoadSpec[] = [];
  const base = BASE_RPM;

  // Sunday 20:00–24:00 (hour −4): 1×, 4 h.
  out.push(spec(base, 0.005, LEAD_IN_S, 50, 150));

  // Hour 0: midnight crash and retry storm (indices 1–7).
  out.push(spec(90000, 0.6, 120, 500, 1200));
  out.push(spec(120000, 0.7, 180, 800, 1400));
  out.push(spec(48000, 0.25, 180, 300, 800));
  out.push(spec(36000, 0.05, 240, 150, 400));
  out.push(spec(24000, 0.02, 300, 80, 250));
  out.push(spec(18000, 0.008, 180, 65, 200));
  out.push(spec(12000, 0.005, 2400, 60, 180));

  // Hours 1–9: spike, 3 decay minutes, rest of hour.
  for (let h = 1; h <= 9; h++) {
    const b = 1 + (5 * h) / 10;
    const m = 3 + (2 * h) / 10;
    // The spike multiple B·M is formed first: 6000·(B·M). Left to right,
    // (6000·B)·M gives 68,400 at h = 4 where the reference list has 68,399.
    out.push(spec(Math.trunc(base * (b * m)), 0.08, 120, 125, 600));
    for (let k = 1; k <= 3; k++) {
      const d = decayD(k);
      out.push(
        spec(
          Math.trunc(base * b * (1 + (m - 1) * d)),
          Math.max(0.06 * d, 0.005),
          60,
          50 * (1 + 1.5 * d),
          150 * (1 + 3 * d),
        ),
      );
    }
    out.push(spec(Math.trunc(base * b), 0.005, 3300, 50, 150));
  }

  // Hour 10: morning mega-spike (indices 53–57), BAU 6× = 36,000 RPM.
  out.push(spec(216000, 0.35, 120, 500, 1100));
  out.push(spec(288000, 0.45, 180, 700, 1350));
  out.push(spec(144000, 0.2, 300, 200, 600));
  out.push(spec(72000, 0.02, 600, 80, 250));
  out.push(spec(36000, 0.005, 2400, 50, 150));

  // Hours 11–17: BAU 6× → 7.714×, degradation rising.
  for (let h = 11; h <= 17; h++) {
    const b = 6 + (2 * (h - 11)) / 7;
    const g = degradation(h);
    out.push(spec(Math.trunc(base * b * 4), 0.08, 120, 50 * g * 2, 150 * g * 3));
    for (let k = 1; k <= 3; k++) {
      const d = decayD(k);
      out.push(
        spec(
          Math.trunc(base * b * (1 + 3 * d)),
          Math.max(0.08 * d, 0.005 * g),
          60,
          50 * g * (1 + d),
          150 * g * (1 + 2 * d),
        ),
      );
    }
    out.push(spec(Math.trunc(base * b), 0.005 * g, 3300, 50 * g, 150 * g));
  }

  // Hour 18: evening mega-spike (indices 93–96), BAU 8× = 48,000 RPM, g = 1.5.
  out.push(spec(216000, 0.3, 120, 150, 562.5));
  out.push(spec(288000, 0.6, 180, 187.5, 675));
  out.push(spec(96000, 0.05, 600, 112.5, 450));
  out.push(spec(48000, 0.0075, 2700, 75, 225));

  // Hours 19–23: BAU 8× → 3.2×, degradation 1.8 → 3.0.
  for (let h = 19; h <= 23; h++) {
    const b = 8 - (6 * (h - 19)) / 5;
    const g = degradation(h);
    out.push(spec(Math.trunc(base * b * 3), 0.05, 120, 50 * g * 1.5, 150 * g * 2));
    for (let k = 1; k <= 3; k++) {
      const d = decayD(k);
      out.push(
        spec(
          Math.trunc(base * b * (1 + 2 * d)),
          Math.max(0.05 * d, 0.005 * g),
          60,
          50 * g * (1 + 0.5 * d),
          150 * g * (1 + d),
        ),
      );
    }
    out.push(spec(Math.trunc(base * b), 0.005 * g, 3300, 50 * g, 150 * g));
  }

  return out;
}
