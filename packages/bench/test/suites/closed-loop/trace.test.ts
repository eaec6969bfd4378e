/**
 * The trace recorder: hand-made event sequences through a scripted breaker,
 * backend and dispatcher give exactly the expected rows; and on real runs
 * (specs 0–7, every candidate) recording changes no result and its columns add
 * up to the run's totals.
 */
import { describe, expect, test } from 'vitest';
import type {
  Candidate,
  CandidateProbe,
  CandidateState,
} from '../../../src/candidates/candidate.js';
import { createCandidate } from '../../../src/candidates/registry.js';
import { runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import {
  meanServiceSeconds,
  type TracedBackend,
  TraceRecorder,
  traceTransferList,
} from '../../../src/suites/closed-loop/trace.js';

const S = 1e9;

/** Opens on a failure, closes on a success; admits only while closed. Optional probe. */
class ScriptedBreaker implements Candidate {
  readonly name = 'Scripted';
  open = false;
  probeValue: CandidateProbe | undefined;
  probes = 0;
  start(): boolean {
    return !this.open;
  }
  state(): CandidateState {
    return this.open ? 'OPEN' : 'CLOSED';
  }
  success(): void {
    this.open = false;
  }
  fail(): void {
    this.open = true;
  }
}

class ProbingBreaker extends ScriptedBreaker {
  limit = 0;
  inflight = 0;
  probe(): CandidateProbe {
    this.probes++;
    return { limit: this.limit, inflight: this.inflight };
  }
}

function fakeBackend(): TracedBackend & {
  crashed: boolean;
  replicas: number;
  slots: number;
  load: number;
  shed: number;
  queueDrops: number;
  crashes: number;
} {
  return {
    crashed: false,
    replicas: 1,
    slots: 11,
    load: 0,
    shed: 0,
    queueDrops: 0,
    crashes: 0,
    slotsPerReplica: 11,
    config: { crashDowntimeS: 2, throughputPerReplica: 150 },
  };
}

function spec(durationS: number): LoadSpec {
  return { rpm: 6000, errorRate: 0.005, durationS, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 };
}

function recorderFor(
  breaker: Candidate,
  backend: TracedBackend,
  specs: LoadSpec[],
  dispatcher = { specIndex: 0 },
) {
  const recorder = new TraceRecorder();
  const wrapped = recorder.attach({ candidate: breaker, backend, dispatcher, specs });
  return { recorder, wrapped, dispatcher };
}

const list = (a: ArrayLike<number>): number[] => Array.from(a);
const rounded = (a: ArrayLike<number>): number[] => Array.from(a, (v) => Math.round(v * 1e9) / 1e9);

describe('TraceRecorder on hand-made events', () => {
  test('counts by arrival and completion second, and state time shares from change times', () => {
    const breaker = new ScriptedBreaker();
    const { recorder, wrapped } = recorderFor(breaker, fakeBackend(), [spec(3)]);
    expect(wrapped.name).toBe('Scripted');
    expect(wrapped.start(0.1 * S)).toBe(true);
    expect(wrapped.start(0.5 * S)).toBe(true);
    wrapped.fail(0.6 * S, 0.5 * S); // OPEN from 0.6 s
    expect(wrapped.state()).toBe('OPEN');
    expect(wrapped.start(1.2 * S)).toBe(false);
    wrapped.success(1.5 * S, 0.1 * S); // CLOSED from 1.5 s
    expect(wrapped.start(2.7 * S)).toBe(true);
    recorder.finish();
    const t = recorder.trace();
    const c = t.columns;
    expect(t.candidate).toBe('Scripted');
    expect(t.seconds).toBe(3);
    expect(list(c.offered)).toEqual([2, 1, 1]);
    expect(list(c.admitted)).toEqual([2, 0, 1]);
    expect(list(c.blocked)).toEqual([0, 1, 0]);
    expect(list(c.successes)).toEqual([0, 1, 0]);
    expect(list(c.failures)).toEqual([1, 0, 0]);
    expect(rounded(c.closed)).toEqual([0.6, 0.5, 1]);
    expect(rounded(c.open)).toEqual([0.4, 0.5, 0]);
    expect(list(c.throttled)).toEqual([0, 0, 0]);
    expect(list(c.halfOpen)).toEqual([0, 0, 0]);
    expect(c.limit).toBeUndefined();
    expect(c.inflight).toBeUndefined();
    expect(t.crashes).toEqual([]);
  });

  test('a state change spanning several seconds fills every second in between', () => {
    const breaker = new ScriptedBreaker();
    const { recorder, wrapped } = recorderFor(breaker, fakeBackend(), [spec(5)]);
    wrapped.start(0.25 * S);
    wrapped.fail(0.5 * S, 0.25 * S); // OPEN 0.5 s .. 3.25 s
    wrapped.success(3.25 * S, 1 * S);
    wrapped.start(4.5 * S);
    recorder.finish();
    const c = recorder.trace().columns;
    expect(rounded(c.open)).toEqual([0.5, 1, 1, 0.25, 0]);
    expect(rounded(c.closed)).toEqual([0.5, 0, 0, 0.75, 1]);
    expect(list(c.successes)).toEqual([0, 0, 0, 1, 0]);
  });

  test('backend samples at the first arrival of a second, counters differenced, crashes timed exactly', () => {
    const backend = fakeBackend();
    const breaker = new ScriptedBreaker();
    const { recorder, wrapped, dispatcher } = recorderFor(breaker, backend, [spec(2), spec(2)]);
    backend.load = 0.5;
    wrapped.start(0.1 * S); // row 0 sample: 1 replica, 11 slots, load 0.5, spec 0
    backend.shed += 2; // the submit at 0.1 s sheds (counts for row 0)
    backend.crashed = true; // ... and crashes the backend
    backend.replicas = 2; // (frozen values while down, as sampled)
    backend.slots = 22;
    backend.load = 1.2;
    dispatcher.specIndex = 1;
    wrapped.start(1.3 * S); // row 1: sees the crash → it began at the last admitted arrival (0.1 s)
    backend.queueDrops += 1;
    wrapped.start(1.8 * S);
    backend.shed += 1;
    // no arrival in second 2
    backend.crashed = false; // recovered (noticed by the next arrival)
    backend.crashes = 1;
    backend.replicas = 1;
    backend.slots = 11;
    backend.load = 0;
    wrapped.start(3.5 * S); // row 3
    recorder.finish();
    const t = recorder.trace();
    const c = t.columns;
    expect(t.seconds).toBe(4);
    expect(list(c.shed)).toEqual([2, 1, 0, 0]);
    expect(list(c.queueDrops)).toEqual([0, 1, 0, 0]);
    expect(list(c.replicas)).toEqual([1, 2, 2, 1]);
    expect(list(c.slots)).toEqual([11, 22, 22, 11]);
    expect(list(c.load)).toEqual([0.5, 1.2, 1.2, 0]);
    expect(list(c.spec)).toEqual([0, 1, 1, 1]);
    expect(t.crashes).toEqual([{ startS: 0.1, endS: 2.1 }]);
    expect(list(c.crashes)).toEqual([1, 0, 0, 0]);
    expect(rounded(c.down)).toEqual([0.9, 1, 0.1, 0]);
    const mean = meanServiceSeconds([spec(2)])[0]!;
    expect(mean).toBeCloseTo(0.067652, 6);
    expect(c.capacity[0]).toBeCloseTo((11 / mean) * 0.1, 9);
    expect(c.capacity[1]).toBe(0);
    expect(c.capacity[2]).toBeCloseTo((22 / mean) * 0.9, 9);
    expect(c.capacity[3]).toBeCloseTo(11 / mean, 9);
    expect(t.meanServiceS).toHaveLength(2);
    expect(t.throughputPerReplica).toBe(150);
    expect(t.slotsPerReplica).toBe(11);
  });

  test('a crash set off by the very last submit is found through the crash counter', () => {
    const backend = fakeBackend();
    const { recorder, wrapped } = recorderFor(new ScriptedBreaker(), backend, [spec(3)]);
    wrapped.start(0.2 * S);
    wrapped.start(1.4 * S);
    backend.crashes = 1; // crashed at 1.4 s, recovered in the final drain
    recorder.finish();
    const t = recorder.trace();
    expect(t.crashes).toEqual([{ startS: 1.4, endS: 3.4 }]);
    expect(list(t.columns.crashes)).toEqual([0, 1]);
    expect(rounded(t.columns.down)).toEqual([0, 0.6]);
  });

  test('probe() is read once per second with an arrival and carried over empty seconds', () => {
    const breaker = new ProbingBreaker();
    const { recorder, wrapped } = recorderFor(breaker, fakeBackend(), [spec(4)]);
    breaker.limit = 0;
    breaker.inflight = 3;
    wrapped.start(0.1 * S);
    breaker.inflight = 9;
    wrapped.start(0.9 * S); // same second: not probed again
    breaker.limit = 12;
    breaker.inflight = 5;
    wrapped.start(1.5 * S);
    breaker.limit = 20;
    wrapped.start(3.0 * S);
    recorder.finish();
    const c = recorder.trace().columns;
    expect(breaker.probes).toBe(3);
    expect(list(c.limit!)).toEqual([0, 12, 12, 20]);
    expect(list(c.inflight!)).toEqual([3, 5, 5, 5]);
  });

  test('completions after the nominal end land in the slack rows; the trace ends at the last event', () => {
    const { recorder, wrapped } = recorderFor(new ScriptedBreaker(), fakeBackend(), [spec(2)]);
    wrapped.start(1.9 * S);
    wrapped.success(3.2 * S, 1.3 * S);
    recorder.finish();
    const t = recorder.trace();
    expect(t.seconds).toBe(4);
    expect(list(t.columns.successes)).toEqual([0, 0, 0, 1]);
    expect(list(t.columns.replicas)).toEqual([0, 1, 1, 1]);
    expect(rounded(t.columns.closed)).toEqual([1, 1, 1, 1]);
  });

  test('a recorder records one run, and has no trace before the run ends', () => {
    const recorder = new TraceRecorder();
    expect(() => recorder.trace()).toThrow(/not finished/);
    expect(() => recorder.finish()).toThrow(/before attach/);
    const run = {
      candidate: new ScriptedBreaker(),
      backend: fakeBackend(),
      dispatcher: { specIndex: 0 },
      specs: [spec(1)],
    };
    recorder.attach(run);
    expect(() => recorder.attach(run)).toThrow(/one run/);
  });
});

describe('TraceRecorder on real runs (specs 0-7)', () => {
  const specs = cyberMonday().slice(0, 8);
  const slo = { successRate: 0.9, timeoutMs: 1500 };

  test.each(['no-cb', 'levee', 'static-bau', 'static-peak'])(
    '%s: identical results with and without recording; columns add up',
    (name) => {
      const candidate = () => createCandidate(name, { slo });
      const plain = runClosedLoop({ specs, seed: 20241225, candidate });
      const recorder = new TraceRecorder();
      const traced = runClosedLoop({ specs, seed: 20241225, candidate, tracer: recorder });
      expect(traced).toEqual(plain);
      const t = recorder.trace();
      const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);
      const c = t.columns;
      expect(t.candidate).toBe(plain.candidate);
      expect(t.seconds).toBeGreaterThanOrEqual(18_000);
      expect(t.seconds).toBeLessThanOrEqual(18_008);
      expect(sum(c.offered)).toBe(plain.allowed + plain.blocked);
      expect(sum(c.admitted)).toBe(plain.allowed);
      expect(sum(c.blocked)).toBe(plain.blocked);
      expect(sum(c.successes)).toBe(plain.successes);
      expect(sum(c.failures)).toBe(plain.failures);
      expect(sum(c.shed)).toBe(plain.backend.shed);
      expect(sum(c.queueDrops)).toBe(plain.backend.queueDrops);
      expect(sum(c.crashes)).toBe(plain.backend.crashes);
      expect(t.crashes).toHaveLength(plain.backend.crashes);
      for (let i = 0; i < t.seconds; i++) {
        const share = c.closed[i]! + c.throttled[i]! + c.halfOpen[i]! + c.open[i]!;
        expect(Math.abs(share - 1)).toBeLessThan(1e-9);
      }
      expect(c.limit !== undefined).toBe(name === 'levee');
      if (name === 'levee') {
        // Levee throttled during the midnight incident: a limit was enforced.
        expect(Math.max(...c.limit!)).toBeGreaterThan(0);
        expect(sum(c.throttled)).toBeGreaterThan(0);
      }
      expect(traceTransferList(t).length).toBe(Object.keys(c).length);
    },
    60_000,
  );
});
