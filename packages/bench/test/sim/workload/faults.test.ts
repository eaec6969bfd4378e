/**
 * The dependency-fault model (src/sim/backend/faults.ts, docs/BENCHMARKS.md
 * §9.1): validation naming the field, each kind against its specification
 * in the backend, the faults' own random stream (declaring faults that never
 * draw, or draw only from their stream, leaves a run bit-identical), and
 * splitting a workload's windows at spec boundaries.
 */
import { describe, expect, it } from 'vitest';
import { createCandidate } from '../../../src/candidates/registry.js';
import { Backend, type CompletionSink } from '../../../src/sim/backend/backend.js';
import {
  BackendFileError,
  canonicalBackendConfig,
  parseBackendOverrides,
} from '../../../src/sim/backend/backend-file.js';
import { runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { withBaselines } from '../../../src/sim/workload/baseline.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import {
  DEFAULT_FAIL_MS,
  FaultError,
  FaultSchedule,
  type FaultWindow,
  parseFaultList,
  parseFaultWindow,
  runFaultWindows,
  splitAtSpecs,
  VERDICT_FAST_FAIL,
  VERDICT_HANG,
  VERDICT_NONE,
  VERDICT_SLOW,
} from '../../../src/sim/workload/faults.js';
import { parseWorkload } from '../../../src/sim/workload/load-file.js';
import { type LoadSpec, WorkloadError } from '../../../src/sim/workload/load-spec.js';

const S = 1e9;
const MS = 1e6;

const steady = (durationS = 3600, rpm = 6000): LoadSpec => ({
  rpm,
  errorRate: 0.005,
  durationS,
  p50Ms: 50,
  p99Ms: 150,
  timeoutMs: 1500,
  baselineErrorRate: 0.005,
});

interface Done {
  time: number;
  latency: number;
  ok: boolean;
}

class Recorder implements CompletionSink {
  readonly done: Done[] = [];
  complete(time: number, latency: number, ok: boolean): void {
    this.done.push({ time, latency, ok });
  }
}

/** Submits one call every `gapNs` from `fromNs` (n calls), advancing before each; returns all completions. */
function drive(backend: Backend, fromNs: number, gapNs: number, n: number): Done[] {
  const sink = new Recorder();
  for (let i = 0; i < n; i++) {
    const t = fromNs + i * gapNs;
    backend.advance(t, sink);
    backend.submit(t, 0);
  }
  backend.advance(Number.POSITIVE_INFINITY, sink);
  return sink.done;
}

describe('fault windows: validation names the field and the value', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    [
      'a bad kind',
      { kind: 'explode', startS: 0, durationS: 1 },
      /f\[0\]\.kind must be one of error, outage, hang, slow, flap \(got "explode"\)/,
    ],
    [
      'a share above 1',
      { kind: 'error', share: 1.5, startS: 0, durationS: 1 },
      /f\[0\]\.share must be a number in \[0, 1\] \(got 1\.5\)/,
    ],
    [
      'a negative share',
      { kind: 'error', share: -0.1, startS: 0, durationS: 1 },
      /\.share must be a number in \[0, 1\] \(got -0\.1\)/,
    ],
    ['a missing share', { kind: 'error', startS: 0, durationS: 1 }, /\.share is missing/],
    [
      'a field of another kind',
      { kind: 'outage', factor: 2, startS: 0, durationS: 1 },
      /\.factor does not apply to kind outage/,
    ],
    [
      'an unknown field',
      { kind: 'hang', startS: 0, durationS: 1, until: 3 },
      /unknown field "until"/,
    ],
    [
      'a zero duration',
      { kind: 'hang', startS: 0, durationS: 0 },
      /\.durationS must be a number of seconds in \(0, 8000000\] \(got 0\)/,
    ],
    [
      'a negative start',
      { kind: 'hang', startS: -1, durationS: 1 },
      /\.startS must be .* \(got -1\)/,
    ],
    ['a missing start', { kind: 'hang', durationS: 1 }, /\.startS is missing/],
    [
      'a bad factor',
      { kind: 'slow', factor: 0, startS: 0, durationS: 1 },
      /\.factor must be a number in \(0, 1000\] \(got 0\)/,
    ],
    ['a flap without period', { kind: 'flap', startS: 0, durationS: 1 }, /\.periodS is missing/],
    [
      'a flap down as long as its period',
      { kind: 'flap', periodS: 10, downS: 10, startS: 0, durationS: 60 },
      /\.downS must be .*periodS = 10\) \(got 10\)/,
    ],
    [
      'a bad phase',
      { kind: 'flap', periodS: 10, phaseS: 10, startS: 0, durationS: 60 },
      /\.phaseS must be/,
    ],
    [
      'a reversed fail range',
      { kind: 'outage', failMs: [5, 1], startS: 0, durationS: 1 },
      /\.failMs must be \[min, max\]/,
    ],
    ['not an object', 3, /f\[0\]: must be an object \(got 3\)/],
  ];
  for (const [what, raw, msg] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseFaultList([raw], 'x.json', 'f')).toThrow(FaultError);
      expect(() => parseFaultList([raw], 'x.json', 'f')).toThrow(msg);
    });
  }

  it('rejects overlapping windows, naming both', () => {
    const list = [
      { kind: 'error', share: 0.1, startS: 100, durationS: 200 },
      { kind: 'outage', startS: 250, durationS: 10 },
    ];
    expect(() => parseFaultList(list, 'b.json')).toThrow(
      'b.json: faults[1] (outage 250-260 s) overlaps faults[0] (error 100-300 s)',
    );
    // Touching windows (half-open) are fine.
    expect(parseFaultList([list[0], { ...list[1], startS: 300 }], 'b.json')).toHaveLength(2);
  });

  it('rejects a list that is not an array', () => {
    expect(() => parseFaultList({ kind: 'hang' }, 'b.json')).toThrow(
      /b\.json: faults must be an array of fault windows/,
    );
  });

  it('returns fresh windows with only their own fields', () => {
    const raw = { kind: 'flap', periodS: 60, downS: 20, startS: 5, durationS: 600, failMs: [2, 3] };
    const w = parseFaultWindow(raw, 'w');
    expect(w).toEqual(raw);
    expect(w).not.toBe(raw);
    expect(w.failMs).not.toBe(raw.failMs);
  });
});

describe('fault windows in backend and workload files', () => {
  it('a backend file may declare faults; errors name the file and the field', () => {
    const o = parseBackendOverrides(
      { maxReplicas: 4, faults: [{ kind: 'outage', startS: 60, durationS: 30 }] },
      'b.json',
    );
    expect(o.faults).toEqual([{ kind: 'outage', startS: 60, durationS: 30 }]);
    expect(() =>
      parseBackendOverrides(
        { faults: [{ kind: 'error', share: 2, startS: 0, durationS: 1 }] },
        'b.json',
      ),
    ).toThrow(BackendFileError);
    expect(() =>
      parseBackendOverrides(
        { faults: [{ kind: 'error', share: 2, startS: 0, durationS: 1 }] },
        'b.json',
      ),
    ).toThrow('b.json: faults[0].share must be a number in [0, 1] (got 2)');
  });

  it('without faults the canonical configuration (and its JSON) is what it always was', () => {
    const plain = canonicalBackendConfig({ maxReplicas: 4 });
    expect(Object.keys(plain)).not.toContain('faults');
    expect(JSON.stringify(canonicalBackendConfig({ maxReplicas: 4, faults: [] }))).toBe(
      JSON.stringify(plain),
    );
    const faulted = canonicalBackendConfig({ faults: [{ kind: 'hang', startS: 1, durationS: 2 }] });
    expect(Object.keys(faulted).at(-1)).toBe('faults');
  });

  it('a workload file splits its windows at spec boundaries, keeping a flap in phase', () => {
    const specs = parseWorkload(
      {
        faults: [{ kind: 'flap', periodS: 40, downS: 10, startS: 50, durationS: 100 }],
        specs: [steady(70), steady(30), steady(100)],
      },
      'w.json',
    );
    expect(specs[0]!.faults).toEqual([
      { kind: 'flap', periodS: 40, downS: 10, startS: 50, durationS: 20 },
    ]);
    expect(specs[1]!.faults).toEqual([
      { kind: 'flap', periodS: 40, downS: 10, startS: 0, durationS: 30, phaseS: 20 },
    ]);
    expect(specs[2]!.faults).toEqual([
      { kind: 'flap', periodS: 40, downS: 10, startS: 0, durationS: 50, phaseS: 10 },
    ]);
    // The pieces, back in run time, doom exactly the instants the whole window does.
    const whole = new FaultSchedule(
      [{ kind: 'flap', periodS: 40, downS: 10, startS: 50, durationS: 100 }],
      1,
    );
    const pieces = new FaultSchedule(runFaultWindows(specs), 1);
    for (let t = 0; t < 200 * S; t += 0.25 * S) {
      expect(pieces.doomedAt(t)).toBe(whole.doomedAt(t));
    }
  });

  it('a workload rejects windows past its end, overlapping a spec’s own, or outside their spec', () => {
    expect(() =>
      parseWorkload(
        { faults: [{ kind: 'hang', startS: 50, durationS: 60 }], specs: [steady(100)] },
        'w.json',
      ),
    ).toThrow('w.json: faults[0] must end within the workload (startS + durationS = 110 > 100 s)');
    expect(() =>
      parseWorkload(
        {
          faults: [{ kind: 'hang', startS: 150, durationS: 10 }],
          specs: [
            steady(100),
            { ...steady(100), faults: [{ kind: 'outage', startS: 55, durationS: 10 }] },
          ],
        },
        'w.json',
      ),
    ).toThrow(
      /w\.json: spec 1: faults\[0\] \(outage 155-165 s\) overlaps faults\[0\] \(hang 150-160 s\)/,
    );
    expect(() =>
      parseWorkload(
        [{ ...steady(100), faults: [{ kind: 'outage', startS: 95, durationS: 10 }] }],
        'w.json',
      ),
    ).toThrow(
      'w.json: spec 0: faults[0] must end within the spec (startS + durationS = 105 > durationS=100)',
    );
    expect(() =>
      parseWorkload(
        [{ ...steady(100), faults: [{ kind: 'nope', startS: 0, durationS: 1 }] }],
        'w.json',
      ),
    ).toThrow(WorkloadError);
  });

  it('the specs’ and the backend’s windows may not overlap in run time', () => {
    const specs = [
      steady(100),
      { ...steady(100), faults: [{ kind: 'hang' as const, startS: 10, durationS: 10 }] },
    ];
    expect(runFaultWindows(specs, [{ kind: 'outage', startS: 0, durationS: 110 }])).toHaveLength(2);
    expect(() => runFaultWindows(specs, [{ kind: 'outage', startS: 0, durationS: 111 }])).toThrow(
      'faults: spec 1 faults[0] (hang 110-120 s) overlaps backend faults[0] (outage 0-111 s)',
    );
  });

  it('splitAtSpecs leaves no piece in specs the window does not cover', () => {
    const pieces = splitAtSpecs(
      [{ kind: 'hang', startS: 100, durationS: 50 }],
      [steady(100), steady(50), steady(10)],
    );
    expect(pieces).toEqual([[], [{ kind: 'hang', startS: 0, durationS: 50 }], []]);
  });
});

describe('each fault kind, in the backend', () => {
  const backendWith = (faults: FaultWindow[], specs = [steady()]) =>
    new Backend(specs, 20241225, { minReplicas: 8, faults });

  it('error: a share p of the calls in the window fails fast (1-5 ms), the rest are served', () => {
    const p = 0.15;
    const b = backendWith([{ kind: 'error', share: p, startS: 10, durationS: 100 }]);
    const n = 20_000;
    const done = drive(b, 10 * S, 5 * MS, n); // 100 s inside the window
    const fast = done.filter((d) => !d.ok && d.latency >= 1 * MS && d.latency <= 5 * MS);
    expect(b.faulted).toBe(fast.length);
    const sigma = Math.sqrt((n * p * (1 - p)) / 1);
    expect(Math.abs(fast.length - n * p)).toBeLessThan(5 * sigma);
    // Faulted calls never reached the pool: the backend counted only the others as served.
    expect(b.stats().faulted).toBe(fast.length);
    expect(b.successes + b.failures).toBe(n);
    expect(
      fast.every(
        (d) => d.latency >= DEFAULT_FAIL_MS[0] * MS && d.latency <= DEFAULT_FAIL_MS[1] * MS,
      ),
    ).toBe(true);
  });

  it('error: share 0 fails nothing, share 1 fails everything; no effect outside the window', () => {
    const none = backendWith([{ kind: 'error', share: 0, startS: 0, durationS: 100 }]);
    drive(none, 1 * S, 10 * MS, 1000);
    expect(none.faulted).toBe(0);
    const all = backendWith([{ kind: 'error', share: 1, startS: 0, durationS: 5 }]);
    drive(all, 1 * S, 10 * MS, 1000); // 1 s to 11 s: 400 calls in the window
    expect(all.faulted).toBe(400);
  });

  it('outage: every call in the window fails fast, with the declared latency range', () => {
    const b = backendWith([{ kind: 'outage', startS: 0, durationS: 60, failMs: [2, 2] }]);
    const done = drive(b, 1 * S, 10 * MS, 500);
    expect(done).toHaveLength(500);
    expect(done.every((d) => !d.ok && d.latency === 2 * MS)).toBe(true);
    expect(b.faulted).toBe(500);
    expect(b.load).toBe(0); // nothing reached the pool or the load measure
  });

  it('hang: every call in the window fails at submit + the spec timeout, reporting the timeout', () => {
    const b = backendWith([{ kind: 'hang', startS: 0, durationS: 60 }]);
    const sink = new Recorder();
    for (let i = 0; i < 100; i++) b.submit(1 * S + i * MS, 0);
    b.advance(Number.POSITIVE_INFINITY, sink);
    expect(sink.done).toHaveLength(100);
    sink.done.forEach((d, i) => {
      expect(d.ok).toBe(false);
      expect(d.latency).toBe(1.5 * S);
      expect(d.time).toBe(1 * S + i * MS + 1.5 * S);
    });
  });

  it('slow: service time × k, with the same draws as without the fault', () => {
    const k = 1.5;
    const plain = new Backend([steady()], 7, { minReplicas: 8 });
    const slow = new Backend([steady()], 7, {
      minReplicas: 8,
      faults: [{ kind: 'slow', factor: k, startS: 0, durationS: 1000 }],
    });
    // Light load (one call per second): free slots, latency multiplier 1.
    const a = drive(plain, 1 * S, 1 * S, 200);
    const b = drive(slow, 1 * S, 1 * S, 200);
    expect(b).toHaveLength(200);
    const slowBySubmit = new Map(b.map((d) => [d.time - d.latency, d]));
    // In submit order, until the first call the slowdown pushes past the timeout
    // (a queue drop rolls no error dice, so the draws after it differ).
    const inOrder = [...a].sort((x, y) => x.time - x.latency - (y.time - y.latency));
    let compared = 0;
    for (const x of inOrder) {
      const y = slowBySubmit.get(x.time - x.latency)!;
      const expected = Math.trunc(x.latency * k);
      if (expected >= 1.5 * S) {
        expect(y.ok === false && y.latency === 1.5 * S).toBe(true);
        break;
      }
      expect(y.latency).toBe(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
    expect(slow.faulted).toBe(0);
    expect(slow.stats().faulted).toBe(0);
  });

  it('flap: down (fast failures) for downS of every period, healthy in between', () => {
    const b = backendWith([{ kind: 'flap', periodS: 10, downS: 4, startS: 100, durationS: 60 }]);
    const sink = new Recorder();
    const times: number[] = [];
    for (let t = 100 * S; t < 160 * S; t += 0.5 * S) {
      b.advance(t, sink);
      b.submit(t, 0);
      times.push(t);
    }
    b.advance(Number.POSITIVE_INFINITY, sink);
    const byTime = new Map(sink.done.map((d) => [d.time - d.latency, d]));
    for (const t of times) {
      const d = byTime.get(t)!;
      const down = (t - 100 * S) % (10 * S) < 4 * S;
      if (down) expect(d.ok === false && d.latency <= 5 * MS).toBe(true);
      else expect(d.latency).toBeGreaterThan(5 * MS);
    }
    expect(b.faulted).toBe(times.filter((t) => (t - 100 * S) % (10 * S) < 4 * S).length);
  });

  it('FaultSchedule: verdicts, the oracle’s view, capacity factors, and time going back', () => {
    const s = new FaultSchedule(
      [
        { kind: 'slow', factor: 4, startS: 10, durationS: 10 },
        { kind: 'hang', startS: 30, durationS: 10 },
        { kind: 'outage', startS: 50, durationS: 10 },
      ],
      1,
    );
    expect(s.decide(5 * S)).toBe(VERDICT_NONE);
    expect(s.decide(15 * S)).toBe(VERDICT_SLOW);
    expect(s.slowFactor).toBe(4);
    expect(s.decide(35 * S)).toBe(VERDICT_HANG);
    expect(s.decide(55 * S)).toBe(VERDICT_FAST_FAIL);
    expect(s.decide(12 * S)).toBe(VERDICT_SLOW); // back in time: still right
    expect([5, 15, 35, 45, 55, 65].map((t) => s.doomedAt(t * S))).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect([5, 15, 35, 55].map((t) => s.capacityFactorAt(t * S))).toEqual([1, 0.25, 0, 0]);
  });
});

describe('the faults’ own random stream', () => {
  const specs = withBaselines(cyberMonday(), 'schedule').slice(0, 2);
  const run = (faults: FaultWindow[] | undefined, candidate = 'levee') =>
    runClosedLoop({
      specs,
      seed: 20241225,
      backend: faults === undefined ? {} : { faults },
      candidate: () => createCandidate(candidate, { slo: { successRate: 0.9, timeoutMs: 1500 } }),
    });

  it('windows that never fail a call leave every figure of the run bit-identical', () => {
    const base = run(undefined);
    // A window after the run, and an error window of share 0 over the whole run
    // (it draws one uniform per call, from its own stream only).
    for (const faults of [
      [{ kind: 'outage' as const, startS: 90_000, durationS: 10 }],
      [{ kind: 'error' as const, share: 0, startS: 0, durationS: 14_520 }],
    ]) {
      const r = run(faults);
      expect(r.backend.faulted).toBe(0);
      const { faulted: _f, ...backend } = r.backend;
      expect({ ...r, backend }).toEqual(base);
    }
  });

  it('a fault changes the run, deterministically', () => {
    const faults: FaultWindow[] = [{ kind: 'error', share: 0.3, startS: 7200, durationS: 600 }];
    const a = run(faults, 'static-peak');
    expect(a).toEqual(run(faults, 'static-peak'));
    expect(a.backend.faulted).toBeGreaterThan(0);
    expect(a.delta).not.toBe(run(undefined, 'static-peak').delta);
  });
});
