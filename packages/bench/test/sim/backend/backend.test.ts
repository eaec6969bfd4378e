import { describe, expect, it } from 'vitest';
import { Backend, type CompletionSink } from '../../../src/sim/backend/backend.js';
import {
  DEFAULT_BACKEND_CONFIG,
  resolveBackendConfig,
  secondsToNs,
} from '../../../src/sim/backend/backend-config.js';
import {
  backendProfileIndices,
  LatencyGenerator,
  slotsByLittlesLaw,
} from '../../../src/sim/backend/latency-generator.js';
import { GoRand } from '../../../src/sim/rng/go-rand.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import { LatencyProfile } from '../../../src/sim/workload/latency-profile.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';

const S = 1e9;
const TIMEOUT_NS = 1.5e9;

const spec = (p50Ms: number, p99Ms: number, errorRate = 0.005): LoadSpec => ({
  rpm: 6000,
  errorRate,
  durationS: 3600,
  p50Ms,
  p99Ms,
  timeoutMs: 1500,
});

interface Done {
  time: number;
  latency: number;
  ok: boolean;
  tag: number;
}

class Recorder implements CompletionSink {
  readonly done: Done[] = [];
  complete(time: number, latency: number, ok: boolean, tag: number): void {
    this.done.push({ time, latency, ok, tag });
  }
}

/** The backend's nominal service time for uniform `x` under `profile`, ns. */
const nominalNs = (profile: LatencyProfile, x: number): number =>
  Math.trunc(Math.min(Math.max(profile.sampleMs(x), 0), 1500) * 1e6);

describe('BackendConfig defaults (§5.4 table)', () => {
  it('holds the reference parameters', () => {
    expect(DEFAULT_BACKEND_CONFIG).toEqual({
      throughputPerReplica: 150,
      queueDepthPerReplica: 50,
      minReplicas: 1,
      maxReplicas: 8,
      targetUtilization: 0.7,
      scaleDownUtilizationFactor: 0.9,
      evaluationIntervalS: 15,
      scaleDownWindowS: 300,
      scaleDownDelayS: 600,
      provisioningLagS: 30,
      demandWindowS: 1,
      demandSmoothing: 0.3,
      crashLoadThreshold: 3.0,
      crashSustainS: 30,
      crashDowntimeS: 300,
      loadHalfLifeS: 5,
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: upstream's literal
      loadEwmaLn2: 0.693147,
      slotsPerReplica: 'littles-law',
    });
    expect(Object.isFrozen(DEFAULT_BACKEND_CONFIG)).toBe(true);
  });

  it('applies overrides and rejects unusable values', () => {
    expect(resolveBackendConfig({ queueDepthPerReplica: 25 }).queueDepthPerReplica).toBe(25);
    expect(() => resolveBackendConfig({ maxReplicas: 0 })).toThrow(RangeError);
    expect(() => resolveBackendConfig({ minReplicas: 3, maxReplicas: 2 })).toThrow(RangeError);
    expect(() => resolveBackendConfig({ slotsPerReplica: 2.5 })).toThrow(RangeError);
    expect(() => resolveBackendConfig({ queueDepthPerReplica: -1 })).toThrow(RangeError);
  });

  it('converts seconds to integer nanoseconds', () => {
    expect(secondsToNs(15)).toBe(15_000_000_000);
    expect(secondsToNs(0.2)).toBe(200_000_000);
  });
});

describe('latency generator (§5.4)', () => {
  it('derives 11 slots per replica by Little’s law from spec 0 (mean 67.652 ms)', () => {
    expect(slotsByLittlesLaw(cyberMonday(), 150)).toBe(11);
    expect(new Backend(cyberMonday().slice(0, 8), 1).slotsPerReplica).toBe(11);
    expect(new Backend([spec(50, 150)], 1, { slotsPerReplica: 4 }).slots).toBe(4);
  });

  it('gives incident specs (errorRate > 0.10) the profile of the next non-incident spec', () => {
    const specs = [spec(50, 150), spec(500, 1200, 0.6), spec(800, 1400, 0.7), spec(80, 250, 0.1)];
    expect(backendProfileIndices(specs)).toEqual([0, 3, 3, 3]);
    expect(backendProfileIndices([spec(50, 150), spec(500, 1200, 0.6)])).toEqual([0, 1]);
    const cm = backendProfileIndices(cyberMonday());
    expect(cm.slice(0, 5)).toEqual([0, 4, 4, 4, 4]);
    expect(cm.slice(53, 57)).toEqual([56, 56, 56, 56]);
    expect(cm.slice(93, 97)).toEqual([95, 95, 95, 96]);
  });

  it('draws one uniform per service time, clamps to [0, timeout] and truncates to ns', () => {
    const specs = [spec(50, 150), spec(500, 1200, 0.6), spec(80, 250)];
    const gen = new LatencyGenerator(specs, 42);
    const rng = GoRand.seeded(42);
    const p0 = new LatencyProfile(50, 150, 1500);
    const p2 = new LatencyProfile(80, 250, 1500);
    for (let i = 0; i < 1000; i++) {
      const si = i % 3;
      const x = rng.float64();
      const expected = nominalNs(si === 0 ? p0 : p2, x);
      const got = gen.nominalNs(si);
      expect(got).toBe(expected);
      expect(got).toBeGreaterThanOrEqual(0);
      expect(got).toBeLessThanOrEqual(TIMEOUT_NS);
      expect(Number.isInteger(got)).toBe(true);
    }
    expect(gen.roll()).toBe(rng.float64());
  });

  it('uses 0.005 × degradation(hour) as the baseline error rate', () => {
    const gen = new LatencyGenerator(cyberMonday(), 1);
    expect(gen.baselineErrorRate(0)).toBe(0.005);
    expect(gen.baselineErrorRate(7)).toBe(0.005);
    expect(gen.baselineErrorRate(121)).toBe(0.005 * 3.0);
    expect(gen.timeoutNs(0)).toBe(TIMEOUT_NS);
  });
});

describe('Backend submit (§5.4)', () => {
  it('an idle backend serves with latency = nominal, then rolls only the baseline error', () => {
    const b = new Backend([spec(50, 150)], 7);
    const rng = GoRand.seeded(7);
    const profile = new LatencyProfile(50, 150, 1500);
    const sink = new Recorder();
    b.advance(1 * S, sink);
    b.submit(1 * S, 0, 3);
    const nominal = nominalNs(profile, rng.float64());
    const ok = rng.float64() >= 0.005;
    b.advance(Number.POSITIVE_INFINITY, sink);
    expect(sink.done).toEqual([{ time: 1 * S + nominal, latency: nominal, ok, tag: 3 }]);
    expect(b.stats()).toEqual({
      requests: 1,
      successes: ok ? 1 : 0,
      failures: ok ? 0 : 1,
      shed: 0,
      queueDrops: 0,
      crashes: 0,
    });
  });

  it('queues when all 11 slots are busy and sheds beyond 50 per replica, failing at +1.5 s', () => {
    const b = new Backend([spec(50, 150)], 1);
    const sink = new Recorder();
    const t = 1 * S;
    b.advance(t, sink);
    for (let i = 0; i < 61; i++) b.submit(t, 0);
    expect(b.slots).toBe(11);
    expect(b.queued).toBe(50);
    expect(b.shed).toBe(0);
    b.submit(t, 0, 9);
    expect(b.shed).toBe(1);
    expect(b.queued).toBe(50);
    b.advance(t + TIMEOUT_NS - 1, sink);
    expect(sink.done.some((d) => d.tag === 9)).toBe(false);
    b.advance(t + TIMEOUT_NS, sink);
    const shed = sink.done.filter((d) => d.tag === 9);
    expect(shed).toEqual([{ time: t + TIMEOUT_NS, latency: TIMEOUT_NS, ok: false, tag: 9 }]);
    // queued requests completed later than served ones, every latency below the timeout
    expect(sink.done.length).toBe(62);
    expect(b.stats().requests).toBe(62);
  });

  it('drops queued work that would reach the timeout, yet the work still occupies the queue', () => {
    // slow requests; slots fixed at 11 (Little's law on this spec would give 148)
    const b = new Backend([spec(1000, 1400)], 3, { slotsPerReplica: 11 });
    const sink = new Recorder();
    const t = 1 * S;
    b.advance(t, sink);
    for (let i = 0; i < 40; i++) b.submit(t, 0, i);
    expect(b.queueDrops).toBeGreaterThan(20);
    expect(b.queued).toBe(29); // dropped items are queued all the same
    b.advance(Number.POSITIVE_INFINITY, sink);
    const timeouts = sink.done.filter((d) => d.latency === TIMEOUT_NS);
    expect(timeouts.length).toBe(b.queueDrops + b.shed);
    for (const d of timeouts) {
      expect(d.ok).toBe(false);
      expect(d.time).toBe(t + TIMEOUT_NS);
    }
    for (const d of sink.done) expect(d.latency).toBeLessThanOrEqual(TIMEOUT_NS);
  });

  it('delivers completions in completion-time order, only when advance passes them', () => {
    const b = new Backend([spec(50, 150)], 11);
    const sink = new Recorder();
    let late = 0;
    for (let i = 0; i < 2000; i++) {
      const t = 1 * S + i * 5_000_000;
      const seen = sink.done.length;
      b.advance(t, sink);
      for (let k = seen; k < sink.done.length; k++) if (sink.done[k]!.time > t) late++;
      b.submit(t, 0);
    }
    expect(late).toBe(0);
    b.advance(Number.POSITIVE_INFINITY, sink);
    expect(sink.done.length).toBe(2000);
    const times = sink.done.map((d) => d.time);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });
});

/**
 * Overloads a one-replica backend (11 slots) until it crashes: by default slow
 * requests (P50 1 s), 20 per second against ~14 per second of capacity.
 * Returns the backend, the sink, the submit times with the EWMA load after
 * each, the crash time and the next submit time.
 */
function overload(seed: number, p50Ms = 1000, p99Ms = 1400, periodNs = 50_000_000) {
  const b = new Backend([spec(p50Ms, p99Ms)], seed, { slotsPerReplica: 11, maxReplicas: 1 });
  const sink = new Recorder();
  const samples: Array<{ t: number; load: number }> = [];
  let t = 1 * S;
  let crashAt = -1;
  while (crashAt < 0 && t < 200 * S) {
    b.advance(t, sink);
    b.submit(t, 0);
    samples.push({ t, load: b.load });
    if (b.crashed) crashAt = t;
    t += periodNs;
  }
  return { b, sink, samples, crashAt, next: t };
}

describe('Backend crash and restart (§5.4)', () => {
  it('crashes at the first sample >= 30 s after the load EWMA reached 3.0 and stayed there', () => {
    const { samples, crashAt } = overload(5);
    expect(crashAt).toBeGreaterThan(0);
    const last = samples.length - 1;
    // walk back over the run of samples >= 3.0 that ends at the crash
    let first = last - 1;
    while (first > 0 && samples[first - 1]!.load >= 3.0) first--;
    const start = samples[first]!.t;
    expect(samples[first]!.load).toBeGreaterThanOrEqual(3.0);
    expect(crashAt - start).toBeGreaterThanOrEqual(30 * S);
    expect(samples[last - 1]!.t - start).toBeLessThan(30 * S);
  });

  it('fails the trigger at +1.5 s, flips pending successes to timeout failures, keeps their times', () => {
    // fast requests at 500/s: queued work still succeeds at L > 2.5 (×10 latency)
    const { b, sink, crashAt } = overload(5, 50, 150, 2_000_000);
    expect(crashAt).toBeGreaterThan(0);
    const before = sink.done.length;
    b.advance(crashAt + 2 * S, sink);
    const after = sink.done.slice(before);
    expect(after.length).toBeGreaterThan(0);
    for (const d of after) expect(d.ok).toBe(false);
    // Submits are on a 2 ms grid and timeouts are 1.5 s, so entries off the grid
    // were served requests: flipped to failures, completion times unchanged.
    // (Those that had already rolled an error keep their latency.)
    const served = after.filter((d) => (d.time - 1 * S) % 2_000_000 !== 0);
    for (const d of served) expect(d.time).toBeLessThan(crashAt + TIMEOUT_NS);
    const flipped = served.filter((d) => d.latency === TIMEOUT_NS);
    expect(flipped.length).toBeGreaterThan(5);
    const onGrid = after.filter((d) => (d.time - 1 * S) % 2_000_000 === 0);
    for (const d of onGrid) expect(d.latency).toBe(TIMEOUT_NS);
    expect(after.at(-1)!.time).toBe(crashAt + TIMEOUT_NS);
  });

  it('a flipped success reports the timeout of its own request', () => {
    const specs = [{ ...spec(50, 150), timeoutMs: 3000 }, spec(50, 150)];
    const config = { slotsPerReplica: 11, maxReplicas: 1 };
    const drive = (switchAt: number) => {
      const b = new Backend(specs, 5, config);
      const sink = new Recorder();
      let t = 1 * S;
      let crashAt = -1;
      for (; crashAt < 0 && t < 200 * S; t += 2_000_000) {
        b.advance(t, sink);
        b.submit(t, t < switchAt ? 0 : 1);
        if (b.crashed) crashAt = t;
      }
      return { b, sink, crashAt };
    };
    const probe = drive(Number.POSITIVE_INFINITY);
    expect(probe.crashAt).toBeGreaterThan(0);
    const switchAt = probe.crashAt - 1 * S;
    const { b, sink, crashAt } = drive(switchAt);
    expect(crashAt).toBe(probe.crashAt); // the switch changes only timeouts
    const before = sink.done.length;
    b.advance(Number.POSITIVE_INFINITY, sink);
    const flipped = sink.done
      .slice(before)
      .filter((d) => (d.time - 1 * S) % 2_000_000 !== 0 && d.time < crashAt + TIMEOUT_NS);
    // requests of spec 0 (submitted before the switch) report 3 s, those of spec 1 1.5 s
    const early = flipped.filter((d) => d.latency === 3e9);
    const late = flipped.filter((d) => d.latency === TIMEOUT_NS);
    expect(early.length).toBeGreaterThan(0);
    expect(late.length).toBeGreaterThan(0);
    for (const d of early) expect(d.time).toBeLessThan(switchAt + 3e9);
    for (const d of flipped) expect(d.ok).toBe(false);
  });

  it('while crashed: submits fail at +1.5 s without a draw; recovery after 300 s, counted then', () => {
    const a = overload(5);
    const c = overload(5);
    expect(a.crashAt).toBe(c.crashAt);
    const recoverAt = a.crashAt + 300 * S;
    // a gets traffic during the crash, c none
    let t = a.next;
    for (; t < recoverAt; t += 1 * S) {
      a.b.advance(t, a.sink);
      a.b.submit(t, 0, 77);
    }
    a.b.advance(recoverAt - 1, a.sink);
    c.b.advance(recoverAt - 1, c.sink);
    expect(a.b.crashed).toBe(true);
    expect(a.b.crashes).toBe(0);
    const crashTime = a.sink.done.filter((d) => d.tag === 77);
    expect(crashTime.length).toBeGreaterThan(200);
    for (const d of crashTime) {
      expect(d.ok).toBe(false);
      expect(d.latency).toBe(TIMEOUT_NS);
    }
    // recovery at the first call at or after crash + 300 s
    a.b.advance(recoverAt, a.sink);
    c.b.advance(recoverAt, c.sink);
    expect(a.b.crashed).toBe(false);
    expect(a.b.crashes).toBe(1);
    expect(a.b.replicas).toBe(1);
    expect(a.b.queued).toBe(0);
    // identical RNG state afterwards: the same traffic gives the same completions
    const tailA = new Recorder();
    const tailC = new Recorder();
    for (let i = 0; i < 200; i++) {
      const tt = recoverAt + i * 100_000_000;
      a.b.advance(tt, tailA);
      c.b.advance(tt, tailC);
      a.b.submit(tt, 0, 1);
      c.b.submit(tt, 0, 1);
      if (i === 0) {
        // the first sample after recovery replaces the reset EWMA (α ≈ 1): idle pool → 0
        expect(a.b.load).toBe(0);
      }
    }
    a.b.advance(Number.POSITIVE_INFINITY, tailA);
    c.b.advance(Number.POSITIVE_INFINITY, tailC);
    const tagged = (r: Recorder): Done[] => r.done.filter((d) => d.tag === 1);
    expect(tagged(tailA)).toEqual(tagged(tailC));
    expect(tagged(tailA).length).toBe(200);
  });

  it('counts a crash still running at the final drain', () => {
    const { b, crashAt } = overload(5);
    expect(crashAt).toBeGreaterThan(0);
    expect(b.crashes).toBe(0);
    b.advance(Number.POSITIVE_INFINITY, new Recorder());
    expect(b.crashes).toBe(1);
    expect(b.stats().crashes).toBe(1);
  });
});
