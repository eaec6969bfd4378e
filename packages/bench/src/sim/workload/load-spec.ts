import { describeValue } from './describe-value.js';
import { FaultError, type FaultWindow, faultEndS, parseFaultList } from './faults.js';

/**
 * Load specs (docs/BENCHMARKS.md §1.1): a workload is an ordered list of these.
 * Field names follow `cyber-monday.json`.
 */
export interface LoadSpec {
  /** Mean arrival rate, requests per minute (integer ≥ 1). */
  rpm: number;
  /** Probability that a request is an error, in [0, 1]. */
  errorRate: number;
  /** How long the spec lasts, seconds (integer ≥ 1). */
  durationS: number;
  /** Median latency, ms (> 0). */
  p50Ms: number;
  /** 99th-percentile latency, ms (> p50Ms). */
  p99Ms: number;
  /** Request timeout, ms (> p99Ms). */
  timeoutMs: number;
  /**
   * Optional: the closed-loop backend's baseline error probability for this
   * spec, in [0, 1]. Without it the baseline follows the workload's rule
   * (src/sim/workload/baseline.ts): the schedule for the built-in Cyber Monday
   * workload; for a workload file the spec's own errorRate when calm, else the
   * next calm spec's baseline.
   */
  baselineErrorRate?: number;
  /**
   * Optional: dependency-fault windows of the closed-loop backend during this
   * spec, `startS` counted from the spec's start, each inside the spec
   * (src/sim/workload/faults.ts, docs/BENCHMARKS.md §9.1). A workload file's
   * top-level `faults` end up here, split at spec boundaries.
   */
  faults?: FaultWindow[];
}

/** Thrown for any invalid workload (bad spec, bad file). */
export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}

/**
 * Upper bound on the total duration of a workload, in seconds (≈ 92.6 days).
 * Keeps every nanosecond timestamp (including the last overshooting arrival
 * and its completion) below 2⁵³, where JS numbers are exact integers.
 */
export const MAX_TOTAL_DURATION_S = 8_000_000;

/** Upper bound on `timeoutMs` (one day), for the same exactness reason. */
export const MAX_TIMEOUT_MS = 86_400_000;

const REQUIRED_KEYS = ['rpm', 'errorRate', 'durationS', 'p50Ms', 'p99Ms', 'timeoutMs'] as const;
const OPTIONAL_KEYS = ['baselineErrorRate', 'faults'] as const;
const ALLOWED_KEYS: ReadonlySet<string> = new Set<string>([...REQUIRED_KEYS, ...OPTIONAL_KEYS]);

export { describeValue } from './describe-value.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks an untrusted value (e.g. parsed JSON) and returns it as a list of
 * fresh `LoadSpec` objects. Throws a `WorkloadError` naming the source, the
 * spec index, the field and the bad value on the first problem found, e.g.
 * `workload.json: spec 3: p99Ms must be greater than p50Ms (got p99Ms=40, p50Ms=50)`.
 *
 * Rules: the list is a non-empty array of objects with exactly the keys of
 * `LoadSpec` (unknown keys are rejected by name); every value is a finite
 * number; `rpm` and `durationS` are integers ≥ 1; `errorRate` and
 * `baselineErrorRate` are in [0, 1]; 0 < p50Ms < p99Ms < timeoutMs ≤
 * MAX_TIMEOUT_MS (the load generator panics unless P50 < P99 < Timeout);
 * Σ durationS ≤ MAX_TOTAL_DURATION_S; `faults`, if given, is a list of
 * valid, non-overlapping fault windows inside the spec.
 */
export function validateLoadSpecs(x: unknown, source?: string): LoadSpec[] {
  const prefix = source === undefined || source === '' ? '' : `${source}: `;
  const fail = (msg: string): never => {
    throw new WorkloadError(prefix + msg);
  };
  if (!Array.isArray(x)) {
    return fail(`load specs must be an array (got ${describeValue(x)})`);
  }
  if (x.length === 0) {
    return fail('load specs must contain at least one spec');
  }
  const out: LoadSpec[] = [];
  let totalS = 0;
  for (let idx = 0; idx < x.length; idx++) {
    const raw: unknown = x[idx];
    const at = `spec ${idx}: `;
    if (!isPlainObject(raw)) {
      return fail(`${at}must be an object (got ${describeValue(raw)})`);
    }
    for (const key of Object.keys(raw)) {
      if (!ALLOWED_KEYS.has(key)) {
        return fail(
          `${at}unknown field ${JSON.stringify(key)} (allowed: ${[...REQUIRED_KEYS, ...OPTIONAL_KEYS].join(', ')})`,
        );
      }
    }
    for (const key of REQUIRED_KEYS) {
      if (!(key in raw)) {
        return fail(`${at}missing field ${key}`);
      }
    }
    const num = (key: string): number => {
      const v = raw[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return fail(`${at}${key} must be a finite number (got ${describeValue(v)})`);
      }
      return v;
    };
    const rpm = num('rpm');
    const errorRate = num('errorRate');
    const durationS = num('durationS');
    const p50Ms = num('p50Ms');
    const p99Ms = num('p99Ms');
    const timeoutMs = num('timeoutMs');
    if (!Number.isSafeInteger(rpm) || rpm < 1) {
      fail(`${at}rpm must be an integer >= 1 (got rpm=${describeValue(rpm)})`);
    }
    if (errorRate < 0 || errorRate > 1) {
      fail(`${at}errorRate must be in [0, 1] (got errorRate=${describeValue(errorRate)})`);
    }
    if (!Number.isSafeInteger(durationS) || durationS < 1) {
      fail(`${at}durationS must be an integer >= 1 (got durationS=${describeValue(durationS)})`);
    }
    if (!(p50Ms > 0)) {
      fail(`${at}p50Ms must be greater than 0 (got p50Ms=${describeValue(p50Ms)})`);
    }
    if (!(p99Ms > p50Ms)) {
      fail(
        `${at}p99Ms must be greater than p50Ms (got p99Ms=${describeValue(p99Ms)}, p50Ms=${describeValue(p50Ms)})`,
      );
    }
    if (!(timeoutMs > p99Ms)) {
      fail(
        `${at}timeoutMs must be greater than p99Ms (got timeoutMs=${describeValue(timeoutMs)}, p99Ms=${describeValue(p99Ms)})`,
      );
    }
    if (timeoutMs > MAX_TIMEOUT_MS) {
      fail(
        `${at}timeoutMs must be at most ${MAX_TIMEOUT_MS} (got timeoutMs=${describeValue(timeoutMs)})`,
      );
    }
    const spec: LoadSpec = { rpm, errorRate, durationS, p50Ms, p99Ms, timeoutMs };
    if ('baselineErrorRate' in raw) {
      const b = num('baselineErrorRate');
      if (b < 0 || b > 1) {
        fail(
          `${at}baselineErrorRate must be in [0, 1] (got baselineErrorRate=${describeValue(b)})`,
        );
      }
      spec.baselineErrorRate = b;
    }
    if ('faults' in raw) {
      let faults: FaultWindow[];
      try {
        faults = parseFaultList(raw.faults, '', `${at}faults`);
      } catch (err) {
        if (err instanceof FaultError) return fail(err.message);
        throw err;
      }
      faults.forEach((w, j) => {
        if (faultEndS(w) > durationS) {
          fail(
            `${at}faults[${j}] must end within the spec (startS + durationS = ${faultEndS(w)} > durationS=${durationS})`,
          );
        }
      });
      if (faults.length > 0) spec.faults = faults;
    }
    totalS += durationS;
    if (totalS > MAX_TOTAL_DURATION_S) {
      fail(
        `${at}total duration exceeds ${MAX_TOTAL_DURATION_S} s (got ${totalS} s through this spec)`,
      );
    }
    out.push(spec);
  }
  return out;
}

/** Σ durationS, seconds. */
export function totalDurationS(specs: readonly LoadSpec[]): number {
  let s = 0;
  for (const spec of specs) {
    s += spec.durationS;
  }
  return s;
}

/**
 * Expected number of requests, Σ rpm·durationS / 60 (docs/BENCHMARKS.md §2.3;
 * the products are summed exactly, then divided once). Not rounded: an
 * integer whenever the durations are multiples of 60 s, as in Cyber Monday.
 */
export function expectedRequests(specs: readonly LoadSpec[]): number {
  let s = 0;
  for (const spec of specs) {
    s += spec.rpm * spec.durationS;
  }
  return s / 60;
}
