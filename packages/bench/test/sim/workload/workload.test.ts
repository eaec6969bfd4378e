import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  baselineErrorRates,
  cyberMonday,
  degradation,
  isIncident,
} from '../../../src/sim/workload/cyber-monday.js';
import { analyticMeanMs, LatencyProfile } from '../../../src/sim/workload/latency-profile.js';
import { loadWorkloadFile, parseWorkload } from '../../../src/sim/workload/load-file.js';
import {
  expectedRequests,
  type LoadSpec,
  totalDurationS,
  validateLoadSpecs,
  WorkloadError,
} from '../../../src/sim/workload/load-spec.js';

const SHARED_CM = new URL('../../../../../../shared/data/cyber-monday.json', import.meta.url);

/** FNV-1a (32-bit) over the UTF-16 code units of a string. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

const good = (): LoadSpec => ({
  rpm: 6000,
  errorRate: 0.005,
  durationS: 60,
  p50Ms: 50,
  p99Ms: 150,
  timeoutMs: 1500,
});

describe('validateLoadSpecs', () => {
  it('accepts valid specs and returns fresh objects', () => {
    const input = [good(), { ...good(), baselineErrorRate: 0.01 }];
    const out = validateLoadSpecs(input, 'x.json');
    expect(out).toEqual(input);
    expect(out[0]).not.toBe(input[0]);
  });

  it('names the source, the spec index, the field and the value', () => {
    const specs = [good(), good(), good(), { ...good(), p50Ms: 50, p99Ms: 40 }];
    expect(() => validateLoadSpecs(specs, 'workload.json')).toThrow(
      new WorkloadError(
        'workload.json: spec 3: p99Ms must be greater than p50Ms (got p99Ms=40, p50Ms=50)',
      ),
    );
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['rpm 0', { rpm: 0 }, 'spec 0: rpm must be an integer >= 1 (got rpm=0)'],
    ['rpm fractional', { rpm: 1.5 }, 'spec 0: rpm must be an integer >= 1 (got rpm=1.5)'],
    ['rpm string', { rpm: '6000' }, 'spec 0: rpm must be a finite number (got "6000")'],
    ['rpm NaN', { rpm: Number.NaN }, 'spec 0: rpm must be a finite number (got NaN)'],
    ['rpm Infinity', { rpm: Infinity }, 'spec 0: rpm must be a finite number (got Infinity)'],
    ['errorRate < 0', { errorRate: -0.1 }, 'errorRate must be in [0, 1] (got errorRate=-0.1)'],
    ['errorRate > 1', { errorRate: 1.5 }, 'errorRate must be in [0, 1] (got errorRate=1.5)'],
    [
      'durationS fractional',
      { durationS: 0.5 },
      'durationS must be an integer >= 1 (got durationS=0.5)',
    ],
    ['durationS 0', { durationS: 0 }, 'durationS must be an integer >= 1 (got durationS=0)'],
    ['p50 0', { p50Ms: 0 }, 'p50Ms must be greater than 0 (got p50Ms=0)'],
    ['p50 = p99', { p50Ms: 150 }, 'p99Ms must be greater than p50Ms (got p99Ms=150, p50Ms=150)'],
    [
      'p99 = timeout',
      { p99Ms: 1500 },
      'timeoutMs must be greater than p99Ms (got timeoutMs=1500, p99Ms=1500)',
    ],
    [
      'timeout huge',
      { timeoutMs: 1e9 },
      'timeoutMs must be at most 86400000 (got timeoutMs=1000000000)',
    ],
    [
      'baseline > 1',
      { baselineErrorRate: 2 },
      'baselineErrorRate must be in [0, 1] (got baselineErrorRate=2)',
    ],
    [
      'baseline null',
      { baselineErrorRate: null },
      'baselineErrorRate must be a finite number (got null)',
    ],
    [
      'unknown key',
      { rps: 100 },
      'spec 0: unknown field "rps" (allowed: rpm, errorRate, durationS, p50Ms, p99Ms, timeoutMs, baselineErrorRate, faults)',
    ],
  ];
  for (const [name, patch, msg] of cases) {
    it(`rejects ${name}`, () => {
      const full = msg.startsWith('spec ') ? msg : `spec 0: ${msg}`;
      expect(() => validateLoadSpecs([{ ...good(), ...patch }], 'w')).toThrow(`w: ${full}`);
    });
  }

  it('rejects missing fields, non-objects, non-arrays and empty lists', () => {
    const { p99Ms: _, ...noP99 } = good();
    expect(() => validateLoadSpecs([good(), noP99])).toThrow('spec 1: missing field p99Ms');
    expect(() => validateLoadSpecs([good(), 42])).toThrow('spec 1: must be an object (got 42)');
    expect(() => validateLoadSpecs([null])).toThrow('spec 0: must be an object (got null)');
    expect(() => validateLoadSpecs({ specs: [] })).toThrow('load specs must be an array');
    expect(() => validateLoadSpecs([])).toThrow('at least one spec');
  });

  it('errors are WorkloadErrors without a prefix when no source is given', () => {
    try {
      validateLoadSpecs([{ ...good(), rpm: -1 }]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkloadError);
      expect((err as Error).name).toBe('WorkloadError');
      expect((err as Error).message).toBe('spec 0: rpm must be an integer >= 1 (got rpm=-1)');
    }
  });

  it('caps the total duration so nanosecond times stay exact', () => {
    const specs = [
      { ...good(), durationS: 5_000_000 },
      { ...good(), durationS: 3_000_001 },
    ];
    expect(() => validateLoadSpecs(specs)).toThrow(
      'spec 1: total duration exceeds 8000000 s (got 8000001 s through this spec)',
    );
  });
});

describe('loadWorkloadFile / parseWorkload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'levee-workload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads the object shape and a bare array', () => {
    const specs = [good(), { ...good(), rpm: 12000 }];
    const obj = write('obj.json', JSON.stringify({ name: 'n', description: 'd', specs }));
    const arr = write('arr.json', JSON.stringify(specs));
    expect(loadWorkloadFile(obj)).toEqual(specs);
    expect(loadWorkloadFile(arr)).toEqual(specs);
  });

  it('verifies the optional checks block', () => {
    const specs = [good(), { ...good(), rpm: 12000 }];
    const checks = { count: 2, totalDurationS: 120, expectedRequests: 18000, peakRpm: 12000 };
    expect(parseWorkload({ checks, specs }, 'c.json')).toEqual(specs);
    expect(() => parseWorkload({ checks: { ...checks, count: 3 }, specs }, 'c.json')).toThrow(
      'c.json: checks.count does not match the specs (file says 3, specs give 2)',
    );
    expect(() => parseWorkload({ checks: { total: 1 }, specs }, 'c.json')).toThrow(
      'c.json: unknown field checks.total',
    );
  });

  it('reports unreadable, non-JSON and invalid files clearly', () => {
    const missing = join(dir, 'nope.json');
    expect(() => loadWorkloadFile(missing)).toThrow(
      `${missing}: cannot read workload file (no such file)`,
    );
    const bad = write('bad.json', '{"specs": [');
    expect(() => loadWorkloadFile(bad)).toThrow(`${bad}: not valid JSON`);
    const badSpec = write(
      'bad-spec.json',
      JSON.stringify({ specs: [good(), { ...good(), p50Ms: 200 }] }),
    );
    expect(() => loadWorkloadFile(badSpec)).toThrow(
      `${badSpec}: spec 1: p99Ms must be greater than p50Ms (got p99Ms=150, p50Ms=200)`,
    );
    expect(() => loadWorkloadFile(dir)).toThrow(WorkloadError);
  });

  it('rejects wrong top-level shapes', () => {
    expect(() => parseWorkload({ spec: [] }, 'f')).toThrow('f: unknown top-level field "spec"');
    expect(() => parseWorkload({ name: 'x' }, 'f')).toThrow('f: missing field "specs"');
    expect(() => parseWorkload({ specs: {} }, 'f')).toThrow('f: specs must be an array');
    expect(() => parseWorkload('x', 'f')).toThrow('f: expected an object');
    expect(() => parseWorkload({ name: 3, specs: [good()] }, 'f')).toThrow(
      'f: name must be a string (got 3)',
    );
  });

  it.runIf(existsSync(SHARED_CM))('loads the shared cyber-monday.json', () => {
    expect(loadWorkloadFile(SHARED_CM.pathname)).toEqual(cyberMonday());
  });
});

describe('cyberMonday()', () => {
  const specs = cyberMonday();

  it('has the verified totals (§2.3)', () => {
    expect(specs.length).toBe(122);
    expect(totalDurationS(specs)).toBe(100_800);
    expect(expectedRequests(specs)).toBe(56_524_317);
    expect(Math.max(...specs.map((s) => s.rpm))).toBe(288_000);
    expect(specs.every((s) => s.timeoutMs === 1500)).toBe(true);
    expect(validateLoadSpecs(specs)).toEqual(specs);
  });

  it('matches pinned specs exactly', () => {
    const pins: [number, LoadSpec][] = [
      [
        0,
        { rpm: 6000, errorRate: 0.005, durationS: 14400, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
      ],
      [1, { rpm: 90000, errorRate: 0.6, durationS: 120, p50Ms: 500, p99Ms: 1200, timeoutMs: 1500 }],
      [
        2,
        { rpm: 120000, errorRate: 0.7, durationS: 180, p50Ms: 800, p99Ms: 1400, timeoutMs: 1500 },
      ],
      [
        7,
        { rpm: 12000, errorRate: 0.005, durationS: 2400, p50Ms: 60, p99Ms: 180, timeoutMs: 1500 },
      ],
      [
        23,
        { rpm: 68399, errorRate: 0.08, durationS: 120, p50Ms: 125, p99Ms: 600, timeoutMs: 1500 },
      ],
      [
        39,
        {
          rpm: 95850,
          errorRate: 0.045,
          durationS: 60,
          p50Ms: 106.25,
          p99Ms: 487.5,
          timeoutMs: 1500,
        },
      ],
      [
        44,
        {
          rpm: 110999,
          errorRate: 0.045,
          durationS: 60,
          p50Ms: 106.25,
          p99Ms: 487.5,
          timeoutMs: 1500,
        },
      ],
      [
        53,
        { rpm: 216000, errorRate: 0.35, durationS: 120, p50Ms: 500, p99Ms: 1100, timeoutMs: 1500 },
      ],
      [
        54,
        { rpm: 288000, errorRate: 0.45, durationS: 180, p50Ms: 700, p99Ms: 1350, timeoutMs: 1500 },
      ],
      [
        57,
        { rpm: 36000, errorRate: 0.005, durationS: 2400, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
      ],
      [
        63,
        {
          rpm: 150857,
          errorRate: 0.08,
          durationS: 120,
          p50Ms: 112.5,
          p99Ms: 506.25,
          timeoutMs: 1500,
        },
      ],
      [
        76,
        {
          rpm: 71999,
          errorRate: 0.02,
          durationS: 60,
          p50Ms: 78.125,
          p99Ms: 281.25,
          timeoutMs: 1500,
        },
      ],
      [
        93,
        { rpm: 216000, errorRate: 0.3, durationS: 120, p50Ms: 150, p99Ms: 562.5, timeoutMs: 1500 },
      ],
      [
        94,
        { rpm: 288000, errorRate: 0.6, durationS: 180, p50Ms: 187.5, p99Ms: 675, timeoutMs: 1500 },
      ],
      [
        98,
        {
          rpm: 120000,
          errorRate: 0.037500000000000006,
          durationS: 60,
          p50Ms: 123.75,
          p99Ms: 472.5,
          timeoutMs: 1500,
        },
      ],
      [
        101,
        {
          rpm: 48000,
          errorRate: 0.009000000000000001,
          durationS: 3300,
          p50Ms: 90,
          p99Ms: 270,
          timeoutMs: 1500,
        },
      ],
      [
        115,
        {
          rpm: 39600,
          errorRate: 0.013500000000000002,
          durationS: 60,
          p50Ms: 151.875,
          p99Ms: 506.25,
          timeoutMs: 1500,
        },
      ],
      [
        121,
        { rpm: 19200, errorRate: 0.015, durationS: 3300, p50Ms: 150, p99Ms: 450, timeoutMs: 1500 },
      ],
    ];
    for (const [i, spec] of pins) {
      expect([i, specs[i]]).toEqual([i, spec]);
    }
  });

  it('matches a digest of all 122 specs', () => {
    expect(fnv1a(JSON.stringify(specs))).toBe('20609349');
  });

  it('has the per-hour RPM sequences of §2.2a (sampled)', () => {
    const rpms = specs.map((s) => s.rpm);
    expect(rpms.slice(23, 28)).toEqual([68399, 55799, 43200, 30600, 18000]);
    expect(rpms.slice(43, 53)).toEqual([
      138000, 110999, 84000, 57000, 30000, 158400, 127049, 95700, 64350, 33000,
    ]);
    expect(rpms.slice(63, 68)).toEqual([150857, 122571, 94285, 66000, 37714]);
    expect(rpms.slice(117, 122)).toEqual([57600, 48000, 38400, 28800, 19200]);
  });

  it.runIf(existsSync(SHARED_CM))('equals the shared cyber-monday.json spec by spec', () => {
    const data = JSON.parse(readFileSync(SHARED_CM, 'utf8'));
    expect(data.checks).toEqual({
      count: 122,
      totalDurationS: 100800,
      expectedRequests: 56524317,
      peakRpm: 288000,
    });
    expect(data.specs.length).toBe(specs.length);
    for (let i = 0; i < specs.length; i++) {
      expect([i, specs[i]]).toEqual([i, data.specs[i]]);
      for (const key of Object.keys(data.specs[i])) {
        expect(Object.is(specs[i]![key as keyof LoadSpec], data.specs[i][key])).toBe(true);
      }
    }
  });

  it('returns fresh objects', () => {
    const a = cyberMonday();
    a[0]!.rpm = 1;
    expect(cyberMonday()[0]!.rpm).toBe(6000);
  });
});

describe('incidents, degradation and baseline error rates', () => {
  const specs = cyberMonday();

  it('flags the 8 incident specs (§2.4)', () => {
    const idx = specs.flatMap((s, i) => (isIncident(s) ? [i] : []));
    expect(idx).toEqual([1, 2, 3, 53, 54, 55, 93, 94]);
    expect(isIncident({ errorRate: 0.1 })).toBe(false);
    expect(isIncident({ errorRate: 0.10000000000000002 })).toBe(true);
  });

  it('degradation(h) (§2.1)', () => {
    expect([0, 9, 10, 11, 17, 18, 19, 22, 23].map(degradation)).toEqual([
      1, 1, 1, 1.0625, 1.4375, 1.5, 1.8, 2.7, 3,
    ]);
  });

  it('baseline error rate per spec (§5.4)', () => {
    const b = baselineErrorRates(specs);
    expect(b.length).toBe(122);
    // Spec 0 starts at offset 0: hour −4 clamps to 0.
    expect(b[0]).toBe(0.005);
    expect(b.slice(1, 58).every((x) => x === 0.005)).toBe(true);
    expect(b[58]).toBe(0.0053125); // hour 11
    expect(b[92]).toBe(0.0071875); // hour 17
    expect(b[93]).toBe(0.0075); // hour 18
    expect(b[97]).toBe(0.009000000000000001); // hour 19
    expect(b[121]).toBe(0.015); // hour 23
    // The rest-of-hour specs carry the same value as their error rate.
    for (let i = 58; i < 122; i++) {
      if (specs[i]!.durationS >= 2700) {
        expect([i, b[i]]).toEqual([i, specs[i]!.errorRate]);
      }
    }
  });

  it('honours a per-spec baselineErrorRate override', () => {
    const s = cyberMonday().slice(0, 3);
    s[1]!.baselineErrorRate = 0.02;
    expect(baselineErrorRates(s)).toEqual([0.005, 0.02, 0.005]);
  });
});

describe('LatencyProfile', () => {
  it('passes through (0, p50/2), (0.5, p50), (0.99, p99) and reaches the timeout at 1', () => {
    for (const [p50, p99, to] of [
      [50, 150, 1500],
      [500, 1200, 1500],
      [800, 1400, 1500],
      [187.5, 675, 1500],
    ] as const) {
      const p = new LatencyProfile(p50, p99, to);
      expect(p.sampleMs(0)).toBe(p50 / 2);
      expect(p.sampleMs(0.5)).toBeCloseTo(p50, 9);
      expect(p.sampleMs(0.99)).toBeCloseTo(p99, 9);
      expect(p.sampleMs(1)).toBeCloseTo(to, 9);
      expect(p.sampleMs(0.995)).toBeCloseTo((p99 + to) / 2, 9);
    }
  });

  it('uses the spec operation order (pinned values)', () => {
    const p = new LatencyProfile(50, 150, 1500);
    expect(p.a).toBe(25);
    expect(p.c).toBe((1.49 * 50 - 150) / (0.99 * (50 - 150)));
    expect(p.b).toBe(50 * (1 - 0.5 * p.c));
    expect(p.slope).toBe((1500 - 150) / 0.01);
    const x = 0.3380645830206843;
    expect(p.sampleMs(x)).toBe(25 + (p.b * x) / (1 - p.c * x));
    expect(p.sampleMs(0.995)).toBe(150 + p.slope * (0.995 - 0.99));
  });

  it('is increasing on [0, 1)', () => {
    const p = new LatencyProfile(50, 150, 1500);
    let prev = -1;
    for (let i = 0; i < 10_000; i++) {
      const y = p.sampleMs(i / 10_000);
      expect(y).toBeGreaterThan(prev);
      prev = y;
    }
  });

  it('analytic mean: 67.652 ms for 50/150/1500 → 11 slots per replica at 150 RPS', () => {
    const mean = analyticMeanMs(50, 150, 1500);
    expect(mean.toFixed(3)).toBe('67.652');
    expect(Math.ceil(150 * (mean / 1000))).toBe(11);
    expect(new LatencyProfile(50, 150, 1500).meanMs()).toBe(mean);
  });

  it('analytic mean agrees with numerical integration', () => {
    for (const [p50, p99, to] of [
      [50, 150, 1500],
      [500, 1200, 1500],
      [100, 149, 1500], // c ≈ 0 (series branch)
      [60, 180, 1500],
    ] as const) {
      const p = new LatencyProfile(p50, p99, to);
      const n = 200_000;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += p.sampleMs((i + 0.5) / n);
      }
      expect(Math.abs(sum / n - analyticMeanMs(p50, p99, to))).toBeLessThan(1e-3);
    }
  });
});
