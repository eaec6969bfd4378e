/**
 * The baseline-error rule (src/sim/workload/baseline.ts) and how the suites build
 * a job's specs from a workload: variation, baselines on the whole workload,
 * then the --specs slice.
 */
import { describe, expect, it } from 'vitest';
import {
  resolveBaselineErrorRates,
  specBaselineErrorRates,
  withBaselines,
} from '../../../src/sim/workload/baseline.js';
import { baselineErrorRates, cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import { applyVariation, jobBackend, jobSpecs } from '../../../src/suites/shared/jobs.js';
import type { SuiteOptions } from '../../../src/suites/shared/suite.js';

function spec(errorRate: number, extra: Partial<LoadSpec> = {}): LoadSpec {
  return { rpm: 600, errorRate, durationS: 60, p50Ms: 10, p99Ms: 20, timeoutMs: 100, ...extra };
}

function options(
  specs: LoadSpec[],
  builtin: boolean,
  first = 0,
  last = specs.length - 1,
): SuiteOptions {
  return {
    seed: 1,
    workload: { name: builtin ? 'cyber-monday' : 'w.json', builtin, specs },
    specs: { first, last },
    backend: {},
  };
}

describe('the per-spec baseline rule (user workloads)', () => {
  it('calm specs use their own error rate; incidents the next calm spec’s baseline', () => {
    const specs = [spec(0.01), spec(0.5), spec(0.3), spec(0.02), spec(0.1)];
    expect(specBaselineErrorRates(specs)).toEqual([0.01, 0.02, 0.02, 0.02, 0.1]);
  });

  it('an explicit baselineErrorRate wins, and is what a neighbouring incident borrows', () => {
    const specs = [
      spec(0.6, { baselineErrorRate: 0.07 }),
      spec(0.4),
      spec(0.03, { baselineErrorRate: 0 }),
    ];
    expect(specBaselineErrorRates(specs)).toEqual([0.07, 0, 0]);
  });

  it('an incident with no calm spec after it takes the previous calm one, else 0.005', () => {
    expect(specBaselineErrorRates([spec(0.02), spec(0.5), spec(0.7)])).toEqual([0.02, 0.02, 0.02]);
    expect(specBaselineErrorRates([spec(0.5), spec(0.7)])).toEqual([0.005, 0.005]);
  });

  it('errorRate exactly 0.10 is calm (the backend’s test is > 0.10)', () => {
    expect(specBaselineErrorRates([spec(0.1), spec(0.10000001)])).toEqual([0.1, 0.1]);
  });
});

describe('the schedule rule (built-in Cyber Monday)', () => {
  it('is the closed-loop schedule 0.005 × degradation(hour), whatever the spec error rates', () => {
    const cm = cyberMonday();
    const rates = resolveBaselineErrorRates(cm, 'schedule');
    expect(rates).toEqual(baselineErrorRates(cm));
    expect(rates[0]).toBe(0.005); // Sunday evening
    expect(rates[1]).toBe(0.005); // the midnight incident (errorRate 0.6)
    expect(rates[121]).toBe(0.015); // 23:00, degradation 3
    expect(rates[118]).toBe(0.015); // a 23:00 decay minute, errorRate 0.025
  });

  it('withBaselines sets the field on copies', () => {
    const cm = cyberMonday();
    const out = withBaselines(cm, 'schedule');
    expect(out.map((s) => s.baselineErrorRate)).toEqual(baselineErrorRates(cm));
    expect(cm[0]!.baselineErrorRate).toBeUndefined();
  });
});

describe('jobSpecs', () => {
  it('built-in: the full schedule survives a slice (hour 23 stays 0.015)', () => {
    const cm = cyberMonday();
    const sliced = jobSpecs(options(cm, true, 117, 121));
    expect(sliced).toHaveLength(5);
    expect(sliced.map((s) => s.baselineErrorRate)).toEqual([0.015, 0.015, 0.015, 0.015, 0.015]);
    expect(sliced[0]!.rpm).toBe(cm[117]!.rpm);
  });

  it('built-in: a variation changes rates and incident flags but not the schedule', () => {
    const cm = cyberMonday();
    const v = jobSpecs(options(cm, true), { rpm: 2, error: 3 });
    expect(v.map((s) => s.baselineErrorRate)).toEqual(baselineErrorRates(cm));
    expect(v[9]!.rpm).toBe(Math.trunc(cm[9]!.rpm * 2));
    expect(v[2]!.errorRate).toBe(0.95); // 0.7 × 3 capped
    expect(jobSpecs(options(cm, true), { rpm: 1, error: 1 })).toEqual(jobSpecs(options(cm, true)));
  });

  it('user file: baselines follow the varied error rates, explicit ones stay', () => {
    const specs = [spec(0.02), spec(0.05), spec(0.03, { baselineErrorRate: 0.001 })];
    const base = jobSpecs(options(specs, false));
    expect(base.map((s) => s.baselineErrorRate)).toEqual([0.02, 0.05, 0.001]);
    const high = jobSpecs(options(specs, false), { rpm: 1, error: 3 });
    // 0.02 × 3 = 0.06 stays calm; 0.05 × 3 = 0.15 is now an incident and borrows from the
    // next calm spec (0.03 × 3 = 0.09), whose explicit baseline stays 0.001.
    expect(high.map((s) => s.baselineErrorRate)).toEqual([0.02 * 3, 0.001, 0.001]);
  });

  it('applyVariation truncates RPM, keeps it >= 1 and caps the error rate at 0.95', () => {
    expect(applyVariation(spec(0.5, { rpm: 3 }), { rpm: 0.2, error: 3 })).toMatchObject({
      rpm: 1,
      errorRate: 0.95,
    });
    expect(applyVariation(spec(0.01, { rpm: 68399 }), { rpm: 0.5, error: 0.2 })).toMatchObject({
      rpm: 34199,
      errorRate: 0.01 * 0.2,
    });
  });
});

describe('jobBackend', () => {
  it('derives worker slots from the first spec of the whole workload', () => {
    const cm = cyberMonday();
    expect(jobBackend(options(cm, true)).slotsPerReplica).toBe(11);
    // Spec 53 is an incident with a 500/1100 ms profile; the slice keeps 11 slots.
    expect(jobBackend(options(cm, true, 53, 57)).slotsPerReplica).toBe(11);
    const o = { ...options(cm, true), backend: { slotsPerReplica: 7, queueDepthPerReplica: 9 } };
    expect(jobBackend(o)).toMatchObject({ slotsPerReplica: 7, queueDepthPerReplica: 9 });
    expect(jobBackend(o, { queueDepthPerReplica: 3 }).queueDepthPerReplica).toBe(3);
  });
});
