import { beforeAll, describe, expect, it } from 'vitest';
import type { Candidate, CandidateState } from '../../../src/candidates/candidate.js';
import { BENCH_SEED } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import {
  estimateOf,
  formatPrescientTable,
  prescientRows,
} from '../../../src/suites/prescient/format.js';
import {
  type PrescientCandidateResult,
  runPrescient,
  runPrescientJob,
  TRANSITION_LOG_MAX,
} from '../../../src/suites/prescient/runner.js';

const S = 1e9;
const SLO = { successRate: 0.9, timeoutMs: 1500 };

/** 20 s calm at 50 RPS, 10 s at 60 % errors, 20 s calm. */
const SMALL: LoadSpec[] = [
  { rpm: 3000, errorRate: 0.005, durationS: 20, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
  { rpm: 3000, errorRate: 0.6, durationS: 10, p50Ms: 200, p99Ms: 800, timeoutMs: 1500 },
  { rpm: 3000, errorRate: 0.005, durationS: 20, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
];

/** Admits by a rule on the start count, reports a scripted state, records every call. */
class Scripted implements Candidate {
  readonly name = 'Scripted';
  readonly starts: number[] = [];
  readonly admittedStarts = new Set<number>();
  readonly outcomes: Array<{ t: number; latency: number; ok: boolean }> = [];
  readonly #admit: (n: number) => boolean;
  readonly #state: (calls: number) => CandidateState;
  #calls = 0;
  constructor(
    admit: (n: number) => boolean,
    state: (calls: number) => CandidateState = () => 'CLOSED',
  ) {
    this.#admit = admit;
    this.#state = state;
  }
  start(t: number): boolean {
    this.#calls++;
    const ok = this.#admit(this.starts.length);
    this.starts.push(t);
    if (ok) this.admittedStarts.add(t);
    return ok;
  }
  state(): CandidateState {
    return this.#state(this.#calls);
  }
  success(t: number, latency: number): void {
    this.#calls++;
    this.outcomes.push({ t, latency, ok: true });
  }
  fail(t: number, latency: number): void {
    this.#calls++;
    this.outcomes.push({ t, latency, ok: false });
  }
}

function run(cb: Candidate, specs: LoadSpec[] = SMALL): PrescientCandidateResult {
  return runPrescient({ specs, seed: BENCH_SEED, successRate: 0.9, candidate: () => cb });
}

describe('runPrescient: the open-loop harness (§4.1)', () => {
  it('tells the breaker only the outcomes of requests it admitted, with duration = completion − start', () => {
    const cb = new Scripted((n) => n % 3 !== 0);
    const r = run(cb);
    expect(r.requests).toBe(cb.starts.length);
    expect(r.allowed).toBe(cb.admittedStarts.size);
    expect(r.blocked + r.allowed).toBe(r.requests);
    expect(cb.outcomes.length).toBe(r.allowed);
    expect(r.successes + r.failures).toBe(r.allowed);
    for (const o of cb.outcomes) {
      expect(cb.admittedStarts.has(o.t - o.latency)).toBe(true);
      expect(o.latency).toBeGreaterThan(0);
    }
    const times = cb.outcomes.map((o) => o.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('gives every candidate the identical stream; decisions never change outcomes', () => {
    const all = new Scripted(() => true);
    const half = new Scripted((n) => n % 2 === 0);
    const rAll = run(all);
    const rHalf = run(half);
    expect(half.starts).toEqual(all.starts);
    expect(rHalf.requests).toBe(rAll.requests);
    expect(rHalf.oracle).toEqual(rAll.oracle);
    // Outcomes of the requests both admitted are identical.
    const byStart = new Map(all.outcomes.map((o) => [o.t - o.latency, o]));
    for (const o of half.outcomes) expect(byStart.get(o.t - o.latency)).toEqual(o);
  });

  it('records the sampled oracle and the span of the run', () => {
    const r = run(new Scripted(() => true));
    expect(r.oracle.startNs).toBe(0);
    expect(r.oracle.changes.map((c) => c.open)).toEqual([true, false]);
    const [opened, closed] = r.oracle.changes;
    expect(opened!.tNs).toBeGreaterThanOrEqual(20 * S);
    expect(opened!.tNs).toBeLessThan(20.2 * S);
    expect(closed!.tNs).toBeGreaterThanOrEqual(30 * S);
    expect(closed!.tNs).toBeLessThan(30.2 * S);
    // The run ends with the last completion, after the last start.
    expect(r.oracle.endNs).toBeGreaterThan(49 * S);
  });

  it('scores every start: admit-all has only bad traffic, reject-all only lost business', () => {
    const admitAll = run(new Scripted(() => true));
    expect(admitAll.lostBusiness).toBe(0);
    expect(admitAll.badRequests).toBeGreaterThan(400); // ~50 RPS × 10 s
    expect(admitAll.badRequests).toBeLessThan(600);
    const rejectAll = run(new Scripted(() => false));
    expect(rejectAll.badTraffic).toBe(0);
    expect(rejectAll.lostRequests).toBe(rejectAll.requests - admitAll.badRequests);
    expect(rejectAll.successes + rejectAll.failures).toBe(0);
  });

  it('logs changes of the returned state after start, success and fail; classifies effective ones', () => {
    // THROTTLED from call 3000 to 3400 (inside the incident), then CLOSED: one effective
    // OPEN and one CLOSED; HALF_OPEN ↔ OPEN in between changes nothing effective.
    const state = (calls: number): CandidateState =>
      calls < 3000
        ? 'CLOSED'
        : calls < 3100
          ? 'THROTTLED'
          : calls < 3400
            ? calls % 2
              ? 'OPEN'
              : 'HALF_OPEN'
            : 'CLOSED';
    const r = run(new Scripted(() => true, state));
    expect(r.transitionLog.map((t) => t.to)).toEqual(['OPEN', 'CLOSED']);
    expect(r.rawTransitions['CLOSED>THROTTLED']).toBe(1);
    expect(r.rawTransitions['OPEN>HALF_OPEN']).toBeGreaterThan(10);
    const total = Object.values(r.rawTransitions).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100);
    expect(
      r.transitions.prematureRecovery + r.transitions.recovery + r.transitions.slowRecovery,
    ).toBe(1);
  });

  it('reports progress, ending at 1', () => {
    const seen: number[] = [];
    runPrescient({
      specs: SMALL,
      seed: BENCH_SEED,
      successRate: 0.9,
      candidate: () => new Scripted(() => true),
      onProgress: (f) => seen.push(f),
    });
    expect(seen.at(-1)).toBe(1);
  });

  it('keeps the first TRANSITION_LOG_MAX transitions in the log and counts them all', () => {
    // 400 RPS for 50 s (about 20,000 starts); the state flips on every call.
    const dense = SMALL.map((s) => ({ ...s, rpm: 24_000 }));
    const flip = new Scripted(
      () => true,
      (calls) => (calls % 2 === 0 ? 'OPEN' : 'CLOSED'),
    );
    const r = runPrescient({
      specs: dense,
      seed: BENCH_SEED,
      successRate: 0.9,
      candidate: () => flip,
    });
    const total = Object.values(r.transitions).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(TRANSITION_LOG_MAX);
    expect(r.transitionLog).toHaveLength(TRANSITION_LOG_MAX);
    expect(r.transitionLogOmitted).toBe(total - TRANSITION_LOG_MAX);
  });

  it('returns plain data (a worker thread can post it) and is deterministic', () => {
    const a = run(new Scripted((n) => n % 5 !== 0));
    const b = run(new Scripted((n) => n % 5 !== 0));
    expect(structuredClone(a)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(b).toEqual(a);
  });
});

describe('runPrescientJob', () => {
  it('builds any registered candidate by name', () => {
    const r = runPrescientJob({ candidate: 'no-cb', seed: BENCH_SEED, slo: SLO, workload: SMALL });
    expect(r.candidate).toBe('No-CB');
    expect(r.blocked).toBe(0);
    expect(r.transitionLog).toEqual([]);
    expect(() =>
      runPrescientJob({ candidate: 'nope', seed: BENCH_SEED, slo: SLO, workload: SMALL }),
    ).toThrow(/unknown candidate/);
  });

  it('runs a user workload; the oracle uses its error rates and the SLO', () => {
    const strict = runPrescientJob({ candidate: 'static-bau', seed: 7, slo: SLO, workload: SMALL });
    expect(strict.oracle.changes.length).toBe(2);
    // With SLO 0.30 the threshold is 1 − 0.3 = 0.7, so the 60 % spec is no incident.
    const loose = runPrescientJob({
      candidate: 'static-bau',
      seed: 7,
      slo: { successRate: 0.3, timeoutMs: 1500 },
      workload: SMALL,
    });
    expect(loose.oracle.changes).toEqual([]);
    expect(loose.blocked).toBe(strict.blocked); // the static breaker ignores the SLO
    expect(loose.badTraffic).toBe(0);
  });

  it('selects a spec range and rejects one outside the workload', () => {
    const r = runPrescientJob({
      candidate: 'static-peak',
      seed: BENCH_SEED,
      slo: SLO,
      workload: SMALL,
      specs: { first: 1, last: 1 },
    });
    // Only the incident: the oracle opens at the first start.
    expect(r.oracle.changes[0]).toEqual({ tNs: 0, open: true });
    expect(() =>
      runPrescientJob({
        candidate: 'static-peak',
        seed: 1,
        slo: SLO,
        workload: SMALL,
        specs: { first: 2, last: 3 },
      }),
    ).toThrow(RangeError);
    expect(() =>
      runPrescientJob({
        candidate: 'static-peak',
        seed: 1,
        slo: SLO,
        workload: SMALL,
        specs: { first: 2, last: 1 },
      }),
    ).toThrow(RangeError);
  });
});

describe('pinned short run: Cyber Monday specs 0–7 (4 calm hours + the midnight crash), seed 20241225', () => {
  // Computed with this harness after the full 28 h runs reproduced the published
  // Static-BAU / Static-Peak / Prescient figures (README.md). Penalties with buckets
  // anchored at the first arrival.
  let results: PrescientCandidateResult[] = [];
  let bau: PrescientCandidateResult;
  let peak: PrescientCandidateResult;
  let levee: PrescientCandidateResult;
  beforeAll(() => {
    results = ['static-bau', 'static-peak', 'levee'].map((candidate) =>
      runPrescientJob({ candidate, seed: BENCH_SEED, slo: SLO, specs: { first: 0, last: 7 } }),
    );
    [bau, peak, levee] = results as [
      PrescientCandidateResult,
      PrescientCandidateResult,
      PrescientCandidateResult,
    ];
  });

  it('sees 2,922,469 requests and one oracle-OPEN period', () => {
    for (const r of results) expect(r.requests).toBe(2_922_469);
    expect(bau.oracle.changes).toEqual([
      { tNs: 14_400_028_447_408, open: true },
      { tNs: 14_880_001_732_819, open: false },
    ]);
    expect(bau.oracle.endNs).toBe(18_000_113_808_680);
    expect(estimateOf(bau)).toEqual({ blocked: 77_927, allowed: 2_844_542 });
  });

  it('Static-BAU', () => {
    expect([bau.blocked, bau.allowed]).toEqual([671_180, 2_251_289]);
    expect(bau.transitions).toEqual({
      flapping: 7,
      falseAlarm: 0,
      lateDetection: 0,
      detection: 1,
      nearIncident: 0,
      prematureRecovery: 7,
      slowRecovery: 1,
      recovery: 0,
    });
    expect([bau.badRequests, bau.lostRequests]).toEqual([17_329, 4_990]);
    expect(bau.badTraffic).toBeCloseTo(3467.265637357484, 9);
    expect(bau.lostBusiness).toBeCloseTo(1702.4423631947134, 9);
  });

  it('Static-Peak', () => {
    expect([peak.blocked, peak.allowed]).toEqual([640_562, 2_281_907]);
    expect([
      peak.transitions.flapping,
      peak.transitions.falseAlarm,
      peak.transitions.lateDetection,
    ]).toEqual([2, 0, 0]);
    expect([peak.badRequests, peak.lostRequests]).toEqual([48_088, 5_131]);
    expect(peak.badTraffic).toBeCloseTo(6190.860037183848, 9);
    expect(peak.lostBusiness).toBeCloseTo(1726.325867268402, 9);
  });

  it('Levee', () => {
    expect([levee.blocked, levee.allowed]).toEqual([703_789, 2_218_680]);
    expect(levee.transitionLog.map((t) => [t.tNs, t.to, t.category])).toEqual([
      [14_400_163_671_788, 'OPEN', 'detection'],
      [14_914_383_433_451, 'CLOSED', 'slow-recovery'],
    ]);
    expect(levee.rawTransitions).toEqual({
      'CLOSED>THROTTLED': 1,
      'THROTTLED>OPEN': 1,
      'OPEN>HALF_OPEN': 13,
      'HALF_OPEN>OPEN': 12,
      'HALF_OPEN>CLOSED': 1,
    });
    expect([levee.badRequests, levee.lostRequests]).toEqual([426, 20_696]);
    expect(levee.badTraffic).toBeCloseTo(218.6778452427223, 9);
    expect(levee.lostBusiness).toBeCloseTo(3467.4766041027588, 9);
  });

  it('renders the table in the published layout', () => {
    expect(formatPrescientTable(prescientRows(results))).toBe(
      `Candidate       |    Blocked |    Allowed | Flap | FalseAlarm | LateDetect |   BadTraffic | LostBusiness | TotalPenalty
Prescient       |      77927 |    2844542 |    0 |          0 |          0 |            0 |            0 |            0
Levee           |     703789 |    2218680 |    0 |          0 |          0 |          219 |         3467 |         3686
Static-BAU      |     671180 |    2251289 |    7 |          0 |          0 |         3467 |         1702 |         5170
Static-Peak     |     640562 |    2281907 |    2 |          0 |          0 |         6191 |         1726 |         7917
`,
    );
  });
});
