import { describe, expect, it } from 'vitest';
import type { Candidate, CandidateState } from '../../../src/candidates/candidate.js';
import { NoCB } from '../../../src/candidates/no-cb.js';
import { STATIC_BAU, STATIC_PEAK, StaticCB } from '../../../src/candidates/static-cb.js';
import { type ClosedLoopResult, runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { BENCH_SEED, cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';

/** One calm minute: about 6,000 requests at 100 RPS. */
const calmMinute = (): LoadSpec[] => [{ ...cyberMonday()[0]!, durationS: 60 }];

/** Admits while `admit(n)` says so; records every call. */
class Scripted implements Candidate {
  readonly name = 'Scripted';
  starts = 0;
  readonly outcomes: Array<{ t: number; latency: number; ok: boolean }> = [];
  readonly #admit: (n: number) => boolean;
  readonly #state: CandidateState;
  constructor(admit: (n: number) => boolean, state: CandidateState = 'CLOSED') {
    this.#admit = admit;
    this.#state = state;
  }
  start(_t: number): boolean {
    return this.#admit(this.starts++);
  }
  state(): CandidateState {
    return this.#state;
  }
  success(t: number, latency: number): void {
    this.outcomes.push({ t, latency, ok: true });
  }
  fail(t: number, latency: number): void {
    this.outcomes.push({ t, latency, ok: false });
  }
}

describe('runClosedLoop orchestration (§5.3)', () => {
  it('feeds every admitted request’s outcome back in completion-time order', () => {
    const cb = new Scripted(() => true);
    const r = runClosedLoop({ specs: calmMinute(), seed: BENCH_SEED, candidate: () => cb });
    expect(r.blocked).toBe(0);
    expect(r.allowed).toBe(cb.starts);
    expect(cb.outcomes.length).toBe(r.allowed);
    expect(r.successes + r.failures).toBe(r.allowed);
    expect(r.successes).toBe(cb.outcomes.filter((o) => o.ok).length);
    const times = cb.outcomes.map((o) => o.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const o of cb.outcomes) expect(o.latency).toBeLessThanOrEqual(1.5e9);
    expect(r.backend.requests).toBe(r.allowed);
    expect(r.candidate).toBe('Scripted');
  });

  it('blocked requests are counted, never submitted or scored, and time still advances', () => {
    const cb = new Scripted((n) => n < 100);
    const r = runClosedLoop({ specs: calmMinute(), seed: BENCH_SEED, candidate: () => cb });
    expect(r.allowed).toBe(100);
    expect(r.blocked).toBe(cb.starts - 100);
    expect(r.backend.requests).toBe(100);
    expect(cb.outcomes.length).toBe(100);
    // the 100 outcomes all arrive within ~1.5 s of the first second, long before the end
    expect(Math.max(...cb.outcomes.map((o) => o.t))).toBeLessThan(4e9);
    const ratio = r.allowed / (r.allowed + r.blocked);
    expect(r.delta).toBe((r.successScore - r.failureScore) * ratio);
  });

  it('updates MaxConcurrency only when the state after start is not OPEN', () => {
    const open = runClosedLoop({
      specs: calmMinute(),
      seed: BENCH_SEED,
      candidate: () => new Scripted(() => true, 'OPEN'),
    });
    expect(open.maxConcurrency).toBe(0);
    const closed = runClosedLoop({
      specs: calmMinute(),
      seed: BENCH_SEED,
      candidate: () => new Scripted(() => true, 'HALF_OPEN'),
    });
    expect(closed.maxConcurrency).toBeGreaterThan(0);
  });

  it('reports progress, ending at 1', () => {
    const seen: number[] = [];
    runClosedLoop({
      specs: calmMinute(),
      seed: BENCH_SEED,
      candidate: () => new NoCB(),
      onProgress: (f) => seen.push(f),
    });
    expect(seen.at(-1)).toBe(1);
  });

  it('passes backend overrides through', () => {
    const base = runClosedLoop({ specs: calmMinute(), seed: 1, candidate: () => new NoCB() });
    const tiny = runClosedLoop({
      specs: calmMinute(),
      seed: 1,
      candidate: () => new NoCB(),
      backend: { slotsPerReplica: 1, queueDepthPerReplica: 0 },
    });
    expect(base.backend.shed).toBe(0);
    expect(tiny.backend.shed).toBeGreaterThan(0);
    expect(tiny.allowed).toBe(base.allowed);
  });
});

/**
 * The first-incident run (specs 0–7: the 4 calm hours and the midnight hour,
 * seed 20241225), pinned after the full 28-hour run reproduced every published
 * No-CB / Static-BAU / Static-Peak cell of docs/BENCHMARKS.md §5.7
 * (`packages/bench/scripts/verify-reference.mjs`).
 */
describe('first-incident run (specs 0–7, seed 20241225)', () => {
  const run = (candidate: () => Candidate): ClosedLoopResult =>
    runClosedLoop({ specs: cyberMonday().slice(0, 8), seed: BENCH_SEED, candidate });

  it('No-CB', () => {
    expect(run(() => new NoCB())).toEqual({
      candidate: 'No-CB',
      blocked: 0,
      allowed: 2924096,
      successes: 1962303,
      failures: 961793,
      successScore: 16180.499219739791,
      failureScore: 35266.99228740665,
      delta: -19086.493067666855,
      maxConcurrency: 3207,
      backend: {
        requests: 2924096,
        successes: 1962303,
        failures: 961793,
        shed: 96430,
        queueDrops: 13281,
        crashes: 3,
      },
    });
  });

  it('Static-BAU', () => {
    expect(run(() => new StaticCB('Static-BAU', STATIC_BAU))).toEqual({
      candidate: 'Static-BAU',
      blocked: 815273,
      allowed: 2108823,
      successes: 2069695,
      failures: 39128,
      successScore: 17426.53049232692,
      failureScore: 5641.04866137494,
      delta: 8499.548288152526,
      maxConcurrency: 3003,
      backend: {
        requests: 2108823,
        successes: 2069695,
        failures: 39128,
        shed: 17961,
        queueDrops: 6663,
        crashes: 0,
      },
    });
  });

  it('Static-Peak', () => {
    expect(run(() => new StaticCB('Static-Peak', STATIC_PEAK))).toEqual({
      candidate: 'Static-Peak',
      blocked: 1048970,
      allowed: 1875126,
      successes: 1857857,
      failures: 17269,
      successScore: 15367.435537525445,
      failureScore: 2648.7912337517278,
      delta: 8156.04570395705,
      maxConcurrency: 2176,
      backend: {
        requests: 1875126,
        successes: 1857857,
        failures: 17269,
        shed: 6931,
        queueDrops: 556,
        crashes: 3,
      },
    });
  });
});
