/**
 * The cooperation page's recorder: hand-made event sequences give exactly the
 * expected rows, and on short real runs recording changes no result and the
 * columns add up to the run's totals.
 */
import { describe, expect, test } from 'vitest';
import type { Candidate } from '../../../src/candidates/candidate.js';
import { createCandidate } from '../../../src/candidates/registry.js';
import { runCooperation } from '../../../src/sim/orchestrator/cooperation.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import { fleetProbeInterval } from '../../../src/suites/closed-loop/layout.js';
import { FleetTraceRecorder } from '../../../src/suites/cooperation/trace.js';
import {
  fakeBackend,
  list,
  ProbingBreaker,
  rounded,
  S,
  ScriptedBreaker,
  spec,
  sum,
} from '../fixtures.js';

/** Drives a fleet recorder the way the cooperation orchestrator does, per instance. */
function fleet(
  recorder: FleetTraceRecorder,
  candidates: Candidate[],
  specs: LoadSpec[],
): Array<Omit<Candidate, 'name'>> {
  recorder.attach({ candidates, backend: fakeBackend(), dispatcher: { specIndex: 0 }, specs });
  return candidates.map((c, i) => ({
    start(t: number): boolean {
      const ok = c.start(t);
      recorder.decided(i, t, ok);
      return ok;
    },
    state: () => c.state(),
    success(t: number, latency: number): void {
      c.success(t, latency);
      recorder.completed(i, t, true);
    },
    fail(t: number, latency: number): void {
      c.fail(t, latency);
      recorder.completed(i, t, false);
    },
  }));
}

describe('FleetTraceRecorder (cooperation)', () => {
  test('counts over all instances, state shares as fractions of instance-time, summed probes', () => {
    const a = new ProbingBreaker();
    const b = new ProbingBreaker();
    const recorder = new FleetTraceRecorder();
    const [wa, wb] = fleet(recorder, [a, b], [spec(3)]);
    a.limit = 10;
    a.inflight = 2;
    b.inflight = 3;
    expect(wa!.start(0.1 * S)).toBe(true);
    expect(wb!.start(0.2 * S)).toBe(true);
    wa!.fail(0.6 * S, 0.5 * S); // a OPEN from 0.6 s to 1.5 s
    expect(wa!.state()).toBe('OPEN');
    a.limit = 0;
    b.limit = 7;
    expect(wa!.start(1.2 * S)).toBe(false);
    expect(wb!.start(1.3 * S)).toBe(true);
    wa!.success(1.5 * S, 0.1 * S);
    wb!.success(1.7 * S, 0.1 * S);
    expect(wa!.start(2.4 * S)).toBe(true);
    recorder.finish();
    const t = recorder.trace();
    const c = t.columns;
    expect(t.candidate).toBe('Scripted');
    expect(t.seconds).toBe(3);
    expect(t.layout?.id).toBe('cooperation');
    expect(list(c.offered)).toEqual([2, 2, 1]);
    expect(list(c.admitted)).toEqual([2, 1, 1]);
    expect(list(c.blocked)).toEqual([0, 1, 0]);
    expect(list(c.successes)).toEqual([0, 2, 0]);
    expect(list(c.failures)).toEqual([1, 0, 0]);
    // Two instances: a second of one instance OPEN is half the fleet's time.
    expect(rounded(c.open)).toEqual([0.2, 0.25, 0]);
    expect(rounded(c.closed)).toEqual([0.8, 0.75, 1]);
    // Probes summed at the first arrival of each second: limits of the instances enforcing one.
    expect(list(c.limit)).toEqual([10, 7, 7]);
    expect(list(c.inflight)).toEqual([5, 5, 5]);
    expect(list(c.limiting)).toEqual([1, 1, 1]);
  });

  test('a large fleet is probed every few seconds, the samples carried in between', () => {
    expect(fleetProbeInterval(100)).toBe(5);
    expect(fleetProbeInterval(2)).toBe(1);
    const breakers = Array.from({ length: 41 }, () => new ProbingBreaker()); // every 3 s
    const recorder = new FleetTraceRecorder();
    const wrapped = fleet(recorder, breakers, [spec(7)]);
    for (let second = 0; second < 7; second++) {
      breakers[0]!.inflight = second + 1;
      wrapped[second]!.start((second + 0.5) * S);
    }
    recorder.finish();
    expect(list(recorder.trace().columns.inflight)).toEqual([1, 1, 1, 4, 4, 4, 7]);
  });

  test('no probe columns unless every instance has probe()', () => {
    const recorder = new FleetTraceRecorder();
    const [w] = fleet(recorder, [new ScriptedBreaker(), new ProbingBreaker()], [spec(2)]);
    w!.start(0.5 * S);
    recorder.finish();
    const c = recorder.trace().columns;
    expect(c.limit).toBeUndefined();
    expect(c.limiting).toBeUndefined();
    expect(() =>
      recorder.attach({
        candidates: [],
        backend: fakeBackend(),
        dispatcher: { specIndex: 0 },
        specs: [],
      }),
    ).toThrow(/one run/);
  });

  test.each(['levee', 'static-peak'])(
    '%s x 100 on specs 1-3: identical results with and without recording; columns add up',
    (name) => {
      const specs = cyberMonday().slice(1, 4);
      const slo = { successRate: 0.8, timeoutMs: 2500 };
      const opts = {
        specs,
        seed: 20241225,
        instances: 100,
        candidate: () => createCandidate(name, { slo }),
      };
      const plain = runCooperation(opts);
      const recorder = new FleetTraceRecorder();
      const traced = runCooperation({ ...opts, tracer: recorder });
      expect(traced).toEqual(plain);
      const t = recorder.trace();
      const c = t.columns;
      expect(t.candidate).toBe(plain.candidate);
      expect(sum(c.offered)).toBe(plain.allowed + plain.blocked);
      expect(sum(c.admitted)).toBe(plain.allowed);
      expect(sum(c.successes)).toBe(plain.successes);
      expect(sum(c.failures)).toBe(plain.failures);
      expect(sum(c.shed)).toBe(plain.backend.shed);
      expect(sum(c.queueDrops)).toBe(plain.backend.queueDrops);
      expect(t.crashes).toHaveLength(plain.backend.crashes);
      for (let i = 0; i < t.seconds; i++) {
        const share = c.closed[i]! + c.throttled[i]! + c.halfOpen[i]! + c.open[i]!;
        expect(Math.abs(share - 1)).toBeLessThan(1e-9);
      }
      expect(c.limit !== undefined).toBe(name === 'levee');
      if (name === 'levee') {
        expect(Math.max(...c.limiting!)).toBeGreaterThan(0);
        expect(Math.max(...c.limiting!)).toBeLessThanOrEqual(100);
        expect(sum(c.throttled)).toBeGreaterThan(0);
      }
    },
    30_000,
  );
});
