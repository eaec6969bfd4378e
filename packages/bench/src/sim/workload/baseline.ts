/**
 * The closed-loop backend's baseline error rate per spec (docs/BENCHMARKS.md §5.4).
 *
 * In the closed-loop backend a spec's `errorRate` does not inject errors: it
 * only marks incident specs (errorRate > 0.10), whose latency profile the
 * backend takes from the next calm spec. Errors come from overload plus a
 * small per-spec baseline probability. Two rules define that baseline:
 *
 * - `schedule` — the built-in Cyber Monday workload: `0.005 × degradation(hour)`
 *   with hour = floor(start offset / 3600) − 4, clamped to 0..23 (the
 *   published runs; `baselineErrorRates` in cyber-monday.ts).
 * - `spec` — a user's workload file, spec by spec:
 *   1. an explicit `baselineErrorRate` is used as given;
 *   2. otherwise a calm spec (errorRate ≤ 0.10) uses its own `errorRate`;
 *   3. otherwise (an incident) the baseline of the next calm spec — the spec
 *      whose latency profile the backend already borrows for the incident —
 *      or, if no calm spec follows, of the previous calm spec, or, if the
 *      workload has no calm spec at all, 0.005 (the scenario's healthy rate).
 *
 * Under both rules an explicit `baselineErrorRate` wins. Rates are resolved on
 * the whole workload (after any load variation), before `--specs` slicing, so
 * a slice keeps the baselines it has in the full run.
 */
import { baselineErrorRates, HEALTHY_ERROR_RATE, isIncident } from './cyber-monday.js';
import type { LoadSpec } from './load-spec.js';

export type BaselineRule = 'schedule' | 'spec';

/** Baseline error rate of every spec under the per-spec rule (see the module comment). */
export function specBaselineErrorRates(specs: readonly LoadSpec[]): number[] {
  const n = specs.length;
  const own = specs.map((s) =>
    s.baselineErrorRate !== undefined
      ? s.baselineErrorRate
      : isIncident(s)
        ? undefined
        : s.errorRate,
  );
  // Baseline of the nearest calm spec after / before each index.
  const next = new Array<number | undefined>(n);
  let carry: number | undefined;
  for (let i = n - 1; i >= 0; i--) {
    next[i] = carry;
    if (!isIncident(specs[i]!)) carry = own[i];
  }
  const out: number[] = [];
  let previous: number | undefined;
  for (let i = 0; i < n; i++) {
    const spec = specs[i]!;
    out.push(own[i] ?? next[i] ?? previous ?? HEALTHY_ERROR_RATE);
    if (!isIncident(spec)) previous = own[i];
  }
  return out;
}

/** Baseline error rates of `specs` under `rule`. */
export function resolveBaselineErrorRates(
  specs: readonly LoadSpec[],
  rule: BaselineRule,
): number[] {
  return rule === 'schedule' ? baselineErrorRates(specs) : specBaselineErrorRates(specs);
}

/** Copies of `specs` with `baselineErrorRate` set explicitly by `rule`. */
export function withBaselines(specs: readonly LoadSpec[], rule: BaselineRule): LoadSpec[] {
  const rates = resolveBaselineErrorRates(specs, rule);
  return specs.map((s, i) => ({ ...s, baselineErrorRate: rates[i]! }));
}
