/**
 * The tracers of the cooperation, prescient and mesh pages: hand-made event
 * sequences give exactly the expected rows, and on short real runs recording
 * changes no result and the columns add up to the run's totals.
 */
import { describe, expect, test } from 'vitest';
import type { Candidate, CandidateProbe, CandidateState } from '../../src/candidates/candidate.js';
import { createCandidate } from '../../src/candidates/registry.js';
import { fleetProbeInterval } from '../../src/report/layout.js';
import { FleetTraceRecorder, type TracedBackend } from '../../src/report/trace.js';
import { runCooperation } from '../../src/sim/orchestrator/cooperation.js';
import { cyberMonday } from '../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../src/sim/workload/load-spec.js';
import { runMeshJob } from '../../src/suites/mesh/runner.js';
import { MeshTraceRecorder } from '../../src/suites/mesh/trace.js';
import type { OracleRecorder } from '../../src/suites/prescient/oracle.js';
import { runPrescient } from '../../src/suites/prescient/run.js';
import { PrescientTraceRecorder } from '../../src/suites/prescient/trace.js';

const S = 1e9;

/** Opens on a failure, closes on a success; admits only while closed. */
class ScriptedBreaker implements Candidate {
  readonly name = 'Scripted';
  open = false;
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
    return { limit: this.limit, inflight: this.inflight };
  }
}

function fakeBackend(): TracedBackend {
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

function spec(durationS: number, errorRate = 0.005): LoadSpec {
  return { rpm: 6000, errorRate, durationS, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 };
}

const list = (a: ArrayLike<number> | undefined): number[] => Array.from(a ?? []);
const rounded = (a: ArrayLike<number> | undefined): number[] =>
  Array.from(a ?? [], (v) => Math.round(v * 1e9) / 1e9);
const sum = (a: ArrayLike<number> | undefined): number =>
  Array.from(a ?? []).reduce((x, y) => x + y, 0);

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

/** The part of an `OracleRecorder` the prescient tracer reads, scripted. */
function fakeOracle(): { open: boolean; changes: Array<{ tNs: number; open: boolean }> } {
  return { open: false, changes: [] };
}

describe('PrescientTraceRecorder', () => {
  test('decisions against the oracle per second, running penalties, oracle and state shares', () => {
    const oracle = fakeOracle();
    const breaker = new ProbingBreaker();
    const recorder = new PrescientTraceRecorder();
    const w = recorder.attach({
      candidate: breaker,
      oracle: oracle as unknown as OracleRecorder,
      specs: [spec(3)],
    });
    breaker.limit = 4;
    expect(w.start(0.1 * S)).toBe(true); // oracle CLOSED, admitted: fine
    oracle.open = true;
    oracle.changes.push({ tNs: 0.5 * S, open: true });
    expect(w.start(0.5 * S)).toBe(true); // bad
    expect(w.start(0.7 * S)).toBe(true); // bad
    w.fail(0.8 * S, 0.7 * S); // OPEN from 0.8 s
    expect(w.start(1.1 * S)).toBe(false); // blocked while the oracle is OPEN: fine
    oracle.open = false;
    oracle.changes.push({ tNs: 1.5 * S, open: false });
    expect(w.start(1.5 * S)).toBe(false); // lost
    expect(w.start(1.6 * S)).toBe(false); // lost
    expect(w.start(1.9 * S)).toBe(false); // lost
    w.success(2.2 * S, 1.7 * S); // CLOSED from 2.2 s
    expect(w.start(2.5 * S)).toBe(true);
    recorder.finish({ endNs: 2.5 * S });
    const t = recorder.trace();
    const c = t.columns;
    expect(t.layout.id).toBe('prescient');
    expect(t.seconds).toBe(3);
    expect(list(c.offered)).toEqual([3, 4, 1]);
    expect(list(c.admitted)).toEqual([3, 0, 1]);
    expect(list(c.blocked)).toEqual([0, 4, 0]);
    expect(list(c.oracleBlock)).toEqual([2, 1, 0]);
    expect(list(c.oracleAdmit)).toEqual([1, 3, 1]);
    expect(list(c.bad)).toEqual([2, 0, 0]);
    expect(list(c.lost)).toEqual([0, 3, 0]);
    expect(list(c.successes)).toEqual([0, 0, 1]);
    expect(list(c.failures)).toEqual([1, 0, 0]);
    expect(list(c.badTraffic)).toEqual([2, 2, 2]);
    expect(list(c.lostBusiness)).toEqual([0, 3, 3]);
    expect(list(c.totalPenalty)).toEqual([2, 5, 5]);
    expect(rounded(c.oracleOpen)).toEqual([0.5, 0.5, 0]);
    expect(rounded(c.open)).toEqual([0.2, 1, 0.2]);
    expect(list(c.limit)).toEqual([4, 4, 4]);
  });

  test.each(['levee', 'static-bau'])(
    '%s on specs 1-3: identical results; the last running penalties are the result',
    (name) => {
      const specs = cyberMonday().slice(1, 4);
      const slo = { successRate: 0.9, timeoutMs: 1500 };
      const opts = {
        specs,
        seed: 20241225,
        successRate: 0.9,
        candidate: () => createCandidate(name, { slo }),
      };
      const plain = runPrescient(opts);
      const recorder = new PrescientTraceRecorder();
      const traced = runPrescient({ ...opts, tracer: recorder });
      expect(traced).toEqual(plain);
      const t = recorder.trace();
      const c = t.columns;
      expect(t.candidate).toBe(plain.candidate);
      expect(sum(c.offered)).toBe(plain.requests);
      expect(sum(c.admitted)).toBe(plain.allowed);
      expect(sum(c.blocked)).toBe(plain.blocked);
      expect(sum(c.successes)).toBe(plain.successes);
      expect(sum(c.failures)).toBe(plain.failures);
      expect(sum(c.bad)).toBe(plain.badRequests);
      expect(sum(c.lost)).toBe(plain.lostRequests);
      // The rows are the penalty buckets (phase 0): the same squares, the same roots.
      const last = t.seconds - 1;
      expect(c.badTraffic[last]).toBe(plain.badTraffic);
      expect(c.lostBusiness[last]).toBe(plain.lostBusiness);
      expect(c.totalPenalty[last]).toBe(plain.totalPenalty);
      const openS = sum(c.oracleOpen);
      const periods = plain.oracle.changes;
      expect(periods.length).toBeGreaterThan(0);
      let want = 0;
      for (let i = 0; i < periods.length; i += 2) {
        want += ((periods[i + 1]?.tNs ?? plain.oracle.endNs) - periods[i]!.tNs) / S;
      }
      expect(openS).toBeCloseTo(want, 6);
      expect(sum(c.oracleBlock)).toBeGreaterThan(0);
    },
    30_000,
  );
});

describe('MeshTraceRecorder', () => {
  test('entry counts, per-node calls and replicas, crash markers and downtime', () => {
    const recorder = new MeshTraceRecorder('Gov');
    recorder.attach({
      names: ['a', 'b'],
      replicas: [3, 2],
      endNs: 4 * S,
      windows: [
        { phase: 'A', label: 'steady', startS: 0 },
        { phase: 'B', label: 'surge', startS: 2 },
      ],
    });
    recorder.entry(0.2 * S, true);
    recorder.entry(0.4 * S, false);
    recorder.admit(0, 0.2 * S);
    recorder.admit(1, 0.3 * S);
    recorder.result(0.9 * S, true);
    recorder.tick(0, 1 * S, 4);
    recorder.tick(1, 1 * S, 2);
    recorder.crash(1, 1.5 * S);
    recorder.crash(0, 1.75 * S);
    recorder.entry(1.8 * S, true); // parked at a crashed entry node: counts as admitted
    recorder.tick(0, 2 * S, 0);
    recorder.tick(1, 2 * S, 0);
    recorder.recover(1, 2.5 * S);
    // node 0 has no tick at 3 s: its sample carries over; it never recovers in the run
    recorder.tick(1, 3 * S, 2);
    recorder.result(3.4 * S, false);
    recorder.result(4.2 * S, false); // a deadline after the end
    recorder.finish();
    const t = recorder.trace();
    const c = t.columns;
    expect(t.candidate).toBe('Gov');
    expect(t.seconds).toBe(5);
    expect(t.layout.id).toBe('mesh');
    expect(t.layout.marks).toEqual([{ atS: 2, label: 'B surge' }]);
    expect(list(c.offered)).toEqual([2, 1, 0, 0, 0]);
    expect(list(c.admitted)).toEqual([1, 1, 0, 0, 0]);
    expect(list(c.blocked)).toEqual([1, 0, 0, 0, 0]);
    expect(list(c.successes)).toEqual([1, 0, 0, 0, 0]);
    expect(list(c.failures)).toEqual([0, 0, 0, 1, 1]);
    expect(list(c['calls:a'])).toEqual([1, 0, 0, 0, 0]);
    expect(list(c['calls:b'])).toEqual([1, 0, 0, 0, 0]);
    expect(list(c['replicas:a'])).toEqual([3, 4, 0, 0, 0]);
    expect(list(c['replicas:b'])).toEqual([2, 2, 0, 2, 2]);
    expect(t.crashes).toEqual([
      { startS: 1.5, endS: 2.5, label: 'b' },
      { startS: 1.75, endS: 1.75, label: 'a' },
    ]);
    // Some node down from 1.5 s to the end; b down 1.5-2.5 s, a from 1.75 s on.
    expect(rounded(c.down)).toEqual([0, 0.5, 1, 1, 1]);
    expect(rounded(c.nodesDown)).toEqual([0, 0.75, 1.5, 1, 1]);
  });

  test('a short real run (phases A-B): identical results; columns add up', () => {
    const job = { governor: 'no-gov' as const, phases: 'A-B' };
    const plain = runMeshJob(job);
    const recorder = new MeshTraceRecorder();
    const traced = runMeshJob(job, undefined, recorder);
    expect(traced).toEqual(plain);
    const t = recorder.trace();
    const c = t.columns;
    expect(t.seconds).toBeGreaterThanOrEqual(330);
    expect(t.seconds).toBeLessThanOrEqual(333);
    expect(sum(c.offered)).toBe(plain.allowed + plain.blocked);
    expect(sum(c.admitted)).toBe(plain.allowed);
    expect(sum(c.successes)).toBe(plain.successes);
    expect(sum(c.failures)).toBe(plain.failures);
    for (const node of plain.nodes) {
      expect(sum(c[`calls:${node.node}`]), node.node).toBe(node.admitted);
      expect(Math.max(...list(c[`replicas:${node.node}`])), node.node).toBe(node.peakReplicas);
    }
    expect(t.crashes).toHaveLength(plain.totalCrashes);
    expect(plain.totalCrashes).toBeGreaterThan(0);
    const downS = plain.nodes.reduce((s, n) => s + n.downtimeS, 0);
    // Downtime within the scenario window (the result clips it there).
    expect(sum(c.nodesDown!.slice(0, 330))).toBeCloseTo(downS, 6);
    expect(t.layout.marks?.map((m) => m.label)).toContain('B surge');
  }, 30_000);
});
