/**
 * The cooperation orchestrator (docs/BENCHMARKS.md §5.6 "Cooperation"): instance
 * choice, completion routing, per-instance concurrency, shared scoring.
 */
import { describe, expect, it } from 'vitest';
import type { Candidate, CandidateState } from '../../../src/candidates/candidate.js';
import { NoCB } from '../../../src/candidates/no-cb.js';
import { STATIC_PEAK, StaticCB } from '../../../src/candidates/static-cb.js';
import { Dispatcher } from '../../../src/sim/arrivals/dispatcher.js';
import { runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { runCooperation } from '../../../src/sim/orchestrator/cooperation.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import { type JsonResult, PINS, type PinnedRow, pinned, runShort } from '../../suites/short-run.js';

const SPECS: LoadSpec[] = [
  { rpm: 120000, errorRate: 0.01, durationS: 5, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
  { rpm: 900000, errorRate: 0.5, durationS: 5, p50Ms: 400, p99Ms: 900, timeoutMs: 1500 },
  { rpm: 60000, errorRate: 0.01, durationS: 5, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
];

/** Admits every other request it sees; records what reaches it. */
class Recorder implements Candidate {
  readonly name = 'Recorder';
  starts: number[] = [];
  outcomes = 0;
  admitted = 0;
  inFlight = 0;
  maxInFlight = 0;
  #open = false;

  start(tNs: number): boolean {
    this.starts.push(tNs);
    this.#open = this.starts.length % 2 === 0;
    if (this.#open) return false;
    this.admitted++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return true;
  }

  state(): CandidateState {
    return this.#open ? 'OPEN' : 'CLOSED';
  }

  success(): void {
    this.outcomes++;
    this.inFlight--;
  }

  fail(): void {
    this.outcomes++;
    this.inFlight--;
  }
}

describe('runCooperation', () => {
  it('sends arrival n to instance n mod N and routes every outcome back to its instance', () => {
    const recorders: Recorder[] = [];
    const result = runCooperation({
      specs: SPECS,
      seed: 7,
      instances: 3,
      candidate: () => {
        const r = new Recorder();
        recorders.push(r);
        return r;
      },
    });
    expect(recorders).toHaveLength(3);
    const times: number[] = [];
    const d = new Dispatcher(SPECS, 7);
    while (d.next()) times.push(d.t);
    expect(recorders.map((r) => r.starts)).toEqual(
      [0, 1, 2].map((k) => times.filter((_, n) => n % 3 === k)),
    );
    for (const r of recorders) {
      expect(r.outcomes).toBe(r.admitted);
      expect(r.inFlight).toBe(0);
    }
    expect(result.instances).toBe(3);
    expect(result.allowed + result.blocked).toBe(times.length);
    expect(result.allowed).toBe(recorders.reduce((s, r) => s + r.admitted, 0));
    expect(result.successes + result.failures).toBe(result.allowed);
    expect(result.backend.requests).toBe(result.allowed);
    expect(result.maxConcurrency).toBe(Math.max(...recorders.map((r) => r.maxInFlight)));
    expect(result.candidate).toBe('Recorder');
  });

  it('with one instance it is the isolated closed loop', () => {
    const specs = cyberMonday()
      .slice(0, 2)
      .map((s, i) => (i === 0 ? { ...s, durationS: 600 } : s));
    for (const create of [() => new NoCB(), () => new StaticCB('Static-Peak', STATIC_PEAK)]) {
      const isolated = runClosedLoop({ specs, seed: 20241225, candidate: create });
      const { instances, ...rest } = runCooperation({
        specs,
        seed: 20241225,
        instances: 1,
        candidate: create,
      });
      expect(instances).toBe(1);
      expect(rest).toEqual(isolated);
    }
  });

  it('counts concurrency per instance, not in total', () => {
    const one = runCooperation({
      specs: SPECS,
      seed: 3,
      instances: 1,
      candidate: () => new NoCB(),
    });
    const ten = runCooperation({
      specs: SPECS,
      seed: 3,
      instances: 10,
      candidate: () => new NoCB(),
    });
    // No-CB admits everything: same backend traffic, same scores and counts…
    expect({ ...ten, maxConcurrency: 0, instances: 0 }).toEqual({
      ...one,
      maxConcurrency: 0,
      instances: 0,
    });
    // …but each of ten instances sees about a tenth of the requests in flight.
    expect(ten.maxConcurrency).toBeLessThan(one.maxConcurrency / 5);
    expect(ten.maxConcurrency).toBeGreaterThan(one.maxConcurrency / 20);
  });

  it('rejects a bad instance count', () => {
    expect(() =>
      runCooperation({ specs: SPECS, seed: 1, instances: 0, candidate: () => new NoCB() }),
    ).toThrow(/instances must be a positive integer/);
  });
});

describe('the cooperation suite on the first incident (specs 0-7)', () => {
  it('matches its pins (Levee and Static-Peak, 100 instances each)', async () => {
    const json = await runShort(['cooperation', '--candidates', 'levee,static-peak']);
    const results = json.results as Array<JsonResult & { instances: number }>;
    expect(results.map((r) => r.instances)).toEqual([100, 100]);
    const pins = PINS.cooperation as PinnedRow[];
    expect(results.map(pinned)).toEqual(
      ['Levee', 'Static-Peak'].map((c) => pins.find((p) => p.candidate === c)),
    );
  }, 120_000);
});
