/**
 * Event-loop batching of completions (docs/BENCHMARKS.md §9.3): the backend
 * and the open-loop stream deliver each completion at the end of its tick,
 * stamped with the tick's time, in due order; a 1 ns tick changes nothing;
 * and the v0.4 Levee candidate's error-rate and goodput readings depend on
 * the grouping although the outcomes are the same — the estimator defect of
 * issue #12 reproduced in the simulator.
 */
import { describe, expect, it, vi } from 'vitest';
import { createCandidate } from '../../../src/candidates/registry.js';
import { EventLoopStream } from '../../../src/sim/arrivals/event-loop-stream.js';
import { OpenLoopStream } from '../../../src/sim/arrivals/open-loop-stream.js';
import { Backend, type CompletionSink } from '../../../src/sim/backend/backend.js';
import { runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { runCooperation } from '../../../src/sim/orchestrator/cooperation.js';
import { withBaselines } from '../../../src/sim/workload/baseline.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import { runPrescient } from '../../../src/suites/prescient/runner.js';

// Every Levee the registry's candidate builds, whatever options it passes.
const built = vi.hoisted(
  () => [] as Array<{ snapshot(): { errorRate: number; goodput: number; state: string } }>,
);
vi.mock('@leveejs/levee', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@leveejs/levee')>();
  class Tracked extends actual.Levee {
    constructor(...args: ConstructorParameters<typeof actual.Levee>) {
      super(...args);
      built.push(this);
    }
  }
  return { ...actual, Levee: Tracked };
});

const S = 1e9;
const MS = 1e6;
const SLO = (successRate: number) => ({ slo: { successRate, timeoutMs: 1500 } });

class Recorder implements CompletionSink {
  readonly done: Array<{ time: number; latency: number; ok: boolean; tag: number }> = [];
  complete(time: number, latency: number, ok: boolean, tag: number): void {
    this.done.push({ time, latency, ok, tag });
  }
}

const steady: LoadSpec = {
  rpm: 6000,
  errorRate: 0,
  durationS: 600,
  p50Ms: 50,
  p99Ms: 150,
  timeoutMs: 1500,
  baselineErrorRate: 0,
};

describe('the backend with an event-loop tick', () => {
  it('delivers at ceil(t / tick) × tick, latency grown by the wait, in due order', () => {
    const tick = 5 * MS;
    const plain = new Backend([steady], 3, {}, {});
    const batched = new Backend([steady], 3, {}, { completionTickNs: tick });
    const a = new Recorder();
    const b = new Recorder();
    const times: number[] = [];
    for (let i = 0; i < 400; i++) times.push(i * 7.3 * MS);
    for (const t of times.map(Math.round)) {
      plain.advance(t, a);
      batched.advance(t, b);
      plain.submit(t, 0, 1);
      batched.submit(t, 0, 2);
    }
    plain.advance(Number.POSITIVE_INFINITY, a);
    batched.advance(Number.POSITIVE_INFINITY, b);
    expect(b.done).toHaveLength(a.done.length);
    a.done.forEach((x, i) => {
      const y = b.done[i]!;
      const end = Math.ceil(x.time / tick) * tick;
      expect(y.time).toBe(end);
      expect(y.latency).toBe(x.latency + (end - x.time));
      expect(y.ok).toBe(x.ok);
      expect(y.tag).toBe(2);
    });
    // Delivered only once the tick has ended: nothing due later than floor(now / tick) × tick.
    const c = new Backend([steady], 3, {}, { completionTickNs: tick });
    const r = new Recorder();
    c.submit(0, 0);
    const due = c.nextDeliveryNs();
    expect(due % tick).toBe(0);
    c.advance(due - 1, r);
    expect(r.done).toHaveLength(0);
    c.advance(due, r);
    expect(r.done).toHaveLength(1);
    expect(r.done[0]!.time).toBe(due);
  });

  it('a 1 ns tick changes nothing (closed loop and fleet)', () => {
    const specs = withBaselines(cyberMonday(), 'schedule')
      .slice(0, 3)
      .map((s, i) => (i === 0 ? { ...s, durationS: 600 } : s));
    const base = { specs, seed: 20241225, candidate: () => createCandidate('levee', SLO(0.9)) };
    expect(runClosedLoop({ ...base, completionTickNs: 1 })).toEqual(runClosedLoop(base));
    const fleet = { ...base, instances: 5 };
    expect(runCooperation({ ...fleet, completionTickNs: 1 })).toEqual(runCooperation(fleet));
  });
});

describe('the open-loop stream with an event-loop tick', () => {
  // The calm lead-in shortened to 15 minutes, then the first midnight spec.
  const specs = cyberMonday()
    .slice(0, 2)
    .map((s, i) => (i === 0 ? { ...s, durationS: 900 } : s));

  it('moves completions to the end of their tick, keeps starts, and a start follows what is due', () => {
    const tick = 2 * MS;
    const plain = new OpenLoopStream(specs, 5);
    const batched = new EventLoopStream(new OpenLoopStream(specs, 5), tick);
    const starts: number[] = [];
    const completions = new Map<number, { t: number; d: number; kind: string }>();
    while (plain.next()) {
      if (plain.kind === 'start') starts.push(plain.t);
      else completions.set(plain.id, { t: plain.t, d: plain.durationNs, kind: plain.kind });
      if (starts.length > 20_000) break;
    }
    const seenStarts: number[] = [];
    let last = 0;
    let n = 0;
    while (batched.next() && seenStarts.length <= 20_000) {
      expect(batched.t).toBeGreaterThanOrEqual(last);
      last = batched.t;
      if (batched.kind === 'start') {
        seenStarts.push(batched.t);
        expect(batched.starts).toBe(seenStarts.length);
      } else {
        const c = completions.get(batched.id);
        if (c === undefined) continue;
        const end = Math.ceil(c.t / tick) * tick;
        expect(batched.t).toBe(end);
        expect(batched.durationNs).toBe(c.d + (end - c.t));
        expect(batched.kind).toBe(c.kind);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10_000);
    expect(seenStarts.slice(0, 20_000)).toEqual(starts.slice(0, 20_000));
  });

  it('a 1 ns tick leaves the prescient run unchanged', () => {
    const run = (completionTickNs?: number) =>
      runPrescient({
        specs,
        seed: 20241225,
        successRate: 0.9,
        candidate: () => createCandidate('levee', SLO(0.9)),
        ...(completionTickNs === undefined ? {} : { completionTickNs }),
      });
    expect(run(1)).toEqual(run());
    expect(run(1 * MS).totalPenalty).not.toBe(run().totalPenalty);
  });
});

describe('the v0.4 Levee candidate under batching (issue #12)', () => {
  /**
   * 400 calls/s, 5 % failing whatever the load (an `error` window over the
   * whole run), on a backend with room to spare; Levee built with SLO 0.5 so
   * that it never leaves CLOSED and admits every call in both runs. The
   * outcomes are then the same call for call; only their delivery is grouped
   * into 1 ms ticks. Readings sampled every 5 s.
   */
  function readings(tickNs?: number) {
    const specs: LoadSpec[] = [{ ...steady, rpm: 24_000, durationS: 30 }];
    const samples: Array<{ errorRate: number; goodput: number; state: string }> = [];
    let next = 5 * S;
    const first = built.length;
    const r = runClosedLoop({
      specs,
      seed: 20241225,
      backend: {
        minReplicas: 8,
        faults: [{ kind: 'error', share: 0.05, startS: 0, durationS: 30 }],
      },
      candidate: () => {
        const inner = createCandidate('levee', SLO(0.5));
        const levee = built[built.length - 1]!;
        return {
          name: inner.name,
          start: (t: number) => {
            if (t >= next) {
              samples.push(levee.snapshot());
              next += 5 * S;
            }
            return inner.start(t);
          },
          state: () => inner.state(),
          success: (t: number, l: number) => inner.success(t, l),
          fail: (t: number, l: number) => inner.fail(t, l),
        };
      },
      ...(tickNs === undefined ? {} : { completionTickNs: tickNs }),
    });
    expect(built.length).toBe(first + 1);
    return { r, samples };
  }

  it('reads the same outcomes differently when they arrive grouped in 1 ms ticks', () => {
    const even = readings();
    const grouped = readings(1 * MS);
    // Same calls, same outcomes: every call admitted, the same failures.
    expect(grouped.r.blocked).toBe(0);
    expect(even.r.blocked).toBe(0);
    expect(grouped.r.allowed).toBe(even.r.allowed);
    expect(grouped.r.successes).toBe(even.r.successes);
    expect(grouped.r.failures).toBe(even.r.failures);
    expect(even.r.failures / even.r.allowed).toBeCloseTo(0.05, 2);
    expect(even.samples).toHaveLength(5);
    expect(grouped.samples).toHaveLength(5);
    for (const s of [...even.samples, ...grouped.samples]) expect(s.state).toBe('CLOSED');
    // The readings differ by more than 2x (the first sample: error rate and goodput).
    const ratio = (a: number, b: number) => Math.max(a / b, b / a);
    expect(ratio(grouped.samples[0]!.errorRate, even.samples[0]!.errorRate)).toBeGreaterThan(2);
    expect(ratio(grouped.samples[0]!.goodput, even.samples[0]!.goodput)).toBeGreaterThan(2);
  });
});
