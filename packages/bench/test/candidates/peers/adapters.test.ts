/**
 * The opossum and cockatiel adapters: documented behaviour on simulated time,
 * decision-for-decision equality with the libraries driven the ordinary way
 * (native promises, `fire()` / `execute()`, microtasks flushed between
 * events, fake timers installed globally), and no wall-clock leakage.
 */
import { withGlobal } from '@sinonjs/fake-timers';
import { CircuitState, circuitBreaker, handleAll } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Candidate } from '../../../src/candidates/candidate.js';
import {
  COCKATIEL_DEFAULT,
  COCKATIEL_TUNED,
  CockatielCandidate,
  type CockatielConfig,
} from '../../../src/candidates/peers/cockatiel.js';
import {
  OPOSSUM_DEFAULT,
  OPOSSUM_TUNED,
  OpossumCandidate,
  type OpossumOptions,
} from '../../../src/candidates/peers/opossum.js';
import { PendingByStart } from '../../../src/candidates/peers/pending.js';
import { SeededRandom } from '../../../src/candidates/peers/prng.js';

const MS = 1e6;
const S = 1e9;

// ---------------------------------------------------------------------------
// A deterministic synthetic traffic pattern, replayed through any driver.

interface Phase {
  /** Phase ends at this second. */
  readonly untilS: number;
  readonly failureRate: number;
}

interface Traffic {
  readonly seed: number;
  readonly rps: number;
  readonly phases: readonly Phase[];
}

interface Driver {
  start(tNs: number): boolean | Promise<boolean>;
  complete(tNs: number, latencyNs: number, ok: boolean): void | Promise<void>;
  state(): string;
}

interface Completion {
  readonly t: number;
  readonly latency: number;
  readonly ok: boolean;
}

/**
 * Poisson arrivals at `rps`; each arrival draws its outcome whether admitted
 * or not (so the random stream does not depend on decisions): successes take
 * 20–200 ms, failures are fast (5–6 ms) or time out at exactly 1.5 s.
 * Completions due by an arrival are delivered before it, as in the simulator.
 * Returns one token per arrival: '+'/'-' (admitted) and the state after it.
 */
async function replay(
  traffic: Traffic,
  driver: Driver,
  between?: (tNs: number) => void,
): Promise<string[]> {
  const rng = new SeededRandom(traffic.seed);
  const endNs = (traffic.phases.at(-1)?.untilS ?? 0) * S;
  const queue: Completion[] = [];
  const out: string[] = [];
  let t = 0;
  let phase = 0;
  for (;;) {
    t += 1 + Math.floor((-Math.log(1 - rng.nextFloat()) * S) / traffic.rps);
    if (t >= endNs) break;
    while ((traffic.phases[phase]?.untilS ?? 0) * S <= t) phase++;
    const failureRate = traffic.phases[phase]?.failureRate ?? 0;
    const ok = rng.nextFloat() >= failureRate;
    const u = rng.nextFloat();
    const latency = ok
      ? 20 * MS + Math.floor(u * 180 * MS)
      : u < 0.5
        ? 5 * MS + Math.floor(u * 2 * MS)
        : 1500 * MS;
    while (queue.length > 0 && (queue[0] as Completion).t <= t) {
      const c = queue.shift() as Completion;
      between?.(c.t);
      await driver.complete(c.t, c.latency, c.ok);
    }
    between?.(t);
    const admitted = await driver.start(t);
    out.push(`${admitted ? '+' : '-'}${driver.state()}`);
    if (admitted) {
      const c = { t: t + latency, latency, ok };
      let i = queue.length;
      while (i > 0 && (queue[i - 1] as Completion).t > c.t) i--;
      queue.splice(i, 0, c);
    }
  }
  for (const c of queue) {
    between?.(c.t);
    await driver.complete(c.t, c.latency, c.ok);
  }
  out.push(`end ${driver.state()}`);
  return out;
}

function candidateDriver(c: Candidate): Driver {
  return {
    start: (t) => c.start(t),
    complete: (t, latency, ok) => (ok ? c.success(t, latency) : c.fail(t, latency)),
    state: () => c.state(),
  };
}

/** The first index where two decision logs differ, with some context (or undefined). */
function firstDifference(a: string[], b: string[]): string | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return `arrival ${i}: adapter ${a.slice(i - 3, i + 3).join(' ')} | library ${b.slice(i - 3, i + 3).join(' ')}`;
    }
  }
  return undefined;
}

function summary(log: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const token of log) counts[token] = (counts[token] ?? 0) + 1;
  return counts;
}

const TRAFFIC: Traffic = {
  seed: 11,
  rps: 150,
  phases: [
    { untilS: 20, failureRate: 0.02 },
    { untilS: 45, failureRate: 0.9 },
    { untilS: 100, failureRate: 0.03 },
    { untilS: 115, failureRate: 0.6 },
    { untilS: 150, failureRate: 0.01 },
  ],
};

// ---------------------------------------------------------------------------
// Reference drivers: the libraries used the ordinary way, globally faked time.

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const realSetImmediate = setImmediate;
/** Let every pending microtask run (setImmediate is not faked). */
const flush = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

type InstalledClock = ReturnType<ReturnType<typeof withGlobal>['install']>;

async function withInstalledClock<T>(fn: (clock: InstalledClock) => Promise<T>): Promise<T> {
  const clock = withGlobal(globalThis).install({
    now: 0,
    toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
  });
  try {
    return await fn(clock);
  } finally {
    clock.uninstall();
  }
}

function advance(clock: InstalledClock, tNs: number): void {
  const ms = Math.floor(tNs / MS);
  if (ms > clock.now) clock.tick(ms - clock.now);
}

const FAILURE = new Error('backend failure');

function opossumReference(clock: InstalledClock, options: Readonly<OpossumOptions>): Driver {
  let ran = false;
  const breaker = new CircuitBreaker(
    (d: Deferred) => {
      ran = true;
      return d.promise;
    },
    { ...options } as CircuitBreaker.Options<[Deferred]>,
  );
  const pending = new PendingByStart<Deferred>();
  return {
    async start(t) {
      advance(clock, t);
      ran = false;
      const d = deferred();
      breaker.fire(d).catch(() => undefined);
      const admitted = ran;
      if (admitted) pending.put(t, d);
      await flush();
      return admitted;
    },
    async complete(t, latency, ok) {
      advance(clock, t);
      const d = pending.take(t - latency);
      if (ok) d?.resolve();
      else d?.reject(FAILURE);
      await flush();
    },
    state: () => (breaker.opened ? 'OPEN' : breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED'),
  };
}

function cockatielReference(clock: InstalledClock, config: CockatielConfig): Driver {
  const policy = circuitBreaker(handleAll, {
    halfOpenAfter: config.halfOpenAfter(),
    breaker: config.breaker(),
  });
  const pending = new PendingByStart<Deferred>();
  return {
    async start(t) {
      advance(clock, t);
      // The adapter's one documented deviation: callers arriving while the
      // half-open test is in flight are rejected instead of parked.
      if (policy.state === CircuitState.HalfOpen) return false;
      let ran = false;
      const d = deferred();
      policy
        .execute(() => {
          ran = true;
          return d.promise;
        })
        .catch(() => undefined);
      if (ran) pending.put(t, d);
      await flush();
      return ran;
    },
    async complete(t, latency, ok) {
      advance(clock, t);
      const d = pending.take(t - latency);
      if (ok) d?.resolve();
      else d?.reject(FAILURE);
      await flush();
    },
    state: () =>
      policy.state === CircuitState.Closed
        ? 'CLOSED'
        : policy.state === CircuitState.HalfOpen
          ? 'HALF_OPEN'
          : 'OPEN',
  };
}

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------

describe('opossum adapter', () => {
  it('default config: opens past 50 % errors, half-opens after 30 s, one probe', () => {
    const o = new OpossumCandidate('Opossum-Default', OPOSSUM_DEFAULT);
    expect(o.state()).toBe('CLOSED');
    expect(o.start(0)).toBe(true);
    expect(o.start(1 * MS)).toBe(true);
    o.success(50 * MS, 50 * MS);
    expect(o.state()).toBe('CLOSED');
    o.fail(60 * MS, 59 * MS); // 1 failure / 2 fires = 50 %: not above the threshold
    expect(o.state()).toBe('CLOSED');
    expect(o.start(70 * MS)).toBe(true);
    o.fail(80 * MS, 10 * MS); // 2 / 3 > 50 %
    expect(o.state()).toBe('OPEN');
    expect(o.start(1 * S)).toBe(false);
    expect(o.start(30 * S)).toBe(false); // reset timer due at 30.080 s
    expect(o.start(30.08 * S)).toBe(true); // the single half-open probe
    expect(o.state()).toBe('HALF_OPEN');
    expect(o.start(30.09 * S)).toBe(false);
    o.success(30.2 * S, 0.12 * S);
    expect(o.state()).toBe('CLOSED');
    expect(o.start(30.3 * S)).toBe(true);
    expect(o.inFlight).toBe(1);
  });

  it('tuned config: needs 100 calls, trips at 20 %, times calls out at 1.5 s', () => {
    const o = new OpossumCandidate('Opossum-Tuned', OPOSSUM_TUNED);
    for (let i = 0; i < 50; i++) {
      expect(o.start(i * MS)).toBe(true);
      o.fail(i * MS + 1, 1); // 50 failures: below the volume threshold
    }
    expect(o.state()).toBe('CLOSED');
    for (let i = 50; i < 100; i++) {
      o.start(i * MS);
      o.success(i * MS + 1, 1);
    }
    expect(o.state()).toBe('CLOSED');
    expect(o.start(100 * MS)).toBe(true);
    o.fail(100 * MS + 1, 1); // 51 / 101 > 20 % with ≥ 100 fires
    expect(o.state()).toBe('OPEN');
    expect(o.start(5.099 * S)).toBe(false);
    expect(o.start(5.1 * S)).toBe(true); // resetTimeout 5 s
    // The probe never answers: opossum's own 1.5 s timer fails it and re-opens.
    expect(o.start(6.6 * S)).toBe(false);
    expect(o.state()).toBe('OPEN');
    expect(o.breaker.stats.timeouts).toBe(1);
  });

  it('sees simulated time only: Date.now() and measured latencies follow the simulator', () => {
    const o = new OpossumCandidate('x', OPOSSUM_TUNED);
    const fires: number[] = [];
    const latencies: number[] = [];
    o.breaker.on('fire', () => fires.push(Date.now()));
    o.breaker.on('success', (_r: unknown, latency: number) => latencies.push(latency));
    o.start(1_234_567_890);
    o.start(2_000_000_001);
    o.success(2_345_678_901, 1_111_111_011);
    expect(fires).toEqual([1234, 2000]);
    expect(latencies).toEqual([2345 - 1234]);
    expect(o.libraryNowMs).toBe(2345);
  });

  // The library side runs with opossum's telemetry at its defaults (latency
  // percentiles and snapshots on), which the adapter's configurations turn
  // off: identical decisions show those two options are decision-neutral.
  const WITH_TELEMETRY = { rollingPercentilesEnabled: true, enableSnapshots: true };
  for (const [label, options, libraryOptions] of [
    ['default', OPOSSUM_DEFAULT, {}],
    ['tuned', OPOSSUM_TUNED, { ...OPOSSUM_TUNED, ...WITH_TELEMETRY }],
  ] as const) {
    it(`makes every decision the library makes with native promises (${label})`, async () => {
      const adapter = await replay(TRAFFIC, candidateDriver(new OpossumCandidate(label, options)));
      const library = await withInstalledClock((clock) =>
        replay(TRAFFIC, opossumReference(clock, libraryOptions)),
      );
      expect(firstDifference(adapter, library)).toBeUndefined();
      const counts = summary(adapter);
      expect(counts['-OPEN'] ?? 0).toBeGreaterThan(100);
      expect(counts['+HALF_OPEN'] ?? 0).toBeGreaterThan(0);
      expect(counts['+CLOSED'] ?? 0).toBeGreaterThan(5000);
    }, 120_000);

    it(`does not depend on the wall clock (${label})`, async () => {
      const plain = await replay(TRAFFIC, candidateDriver(new OpossumCandidate(label, options)));
      vi.useFakeTimers({ now: new Date('2035-01-01T00:00:00Z'), toFake: ['Date', 'performance'] });
      const jumps = new SeededRandom(99);
      const shifted = await replay(
        TRAFFIC,
        candidateDriver(new OpossumCandidate(label, options)),
        () => vi.setSystemTime(Date.now() + Math.floor(jumps.nextFloat() * 5000) - 1000),
      );
      expect(firstDifference(shifted, plain)).toBeUndefined();
    }, 120_000);
  }

  it('releases its library timers on dispose', () => {
    const o = new OpossumCandidate('x', OPOSSUM_DEFAULT);
    o.start(0);
    o.dispose();
    expect(o.breaker.isShutdown).toBe(true);
  });
});

describe('cockatiel adapter', () => {
  it('default config: 5 consecutive failures open it for 10 s; one test call', () => {
    const c = new CockatielCandidate('Cockatiel-Default', COCKATIEL_DEFAULT);
    for (let i = 0; i < 4; i++) {
      expect(c.start(i * MS)).toBe(true);
      c.fail(i * MS + 5 * MS, 5 * MS);
    }
    c.start(10 * MS);
    c.success(20 * MS, 10 * MS); // resets the consecutive count
    for (let i = 0; i < 5; i++) {
      c.start(30 * MS + i * MS);
      c.fail(40 * MS + i * MS, 10 * MS);
    }
    expect(c.state()).toBe('OPEN');
    expect(c.start(10.04 * S - 1)).toBe(false); // opened at 44 ms
    expect(c.start(10.044 * S)).toBe(true); // the half-open test
    expect(c.state()).toBe('HALF_OPEN');
    expect(c.start(10.05 * S)).toBe(false); // waits behind the test → rejected here
    c.fail(10.1 * S, 0.056 * S);
    expect(c.state()).toBe('OPEN');
    expect(c.start(20.09 * S)).toBe(false);
    expect(c.start(20.1 * S)).toBe(true);
    c.success(20.2 * S, 0.1 * S);
    expect(c.state()).toBe('CLOSED');
    expect(c.start(20.3 * S)).toBe(true);
  });

  it('tuned config: rate-based trip, half-open delay doubling from 2 s to 30 s', () => {
    const c = new CockatielCandidate('Cockatiel-Tuned', COCKATIEL_TUNED);
    let t = 0;
    // 10 s at 20 rps with 10 % failures: under the 20 % threshold.
    for (let i = 0; i < 200; i++, t += 50 * MS) {
      c.start(t);
      if (i % 10 === 0) c.fail(t + MS, MS);
      else c.success(t + MS, MS);
    }
    expect(c.state()).toBe('CLOSED');
    // Failures until the window's failure share passes 20 %.
    let opened = -1;
    for (let i = 0; i < 200 && opened < 0; i++, t += 50 * MS) {
      c.start(t);
      c.fail(t + MS, MS);
      if (c.state() === 'OPEN') opened = t + MS;
    }
    expect(opened).toBeGreaterThan(0);
    const delays: number[] = [];
    let openedAt = opened;
    for (let k = 0; k < 6; k++) {
      // find the first admitted time after openedAt, 1 ms steps
      let probe = openedAt + MS;
      while (!c.start(probe)) probe += MS;
      delays.push(Math.round((probe - openedAt) / MS));
      c.fail(probe + MS, MS);
      openedAt = probe + MS;
    }
    expect(delays).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    let probe = openedAt + 30 * S;
    expect(c.start(probe)).toBe(true);
    c.success(probe + MS, MS);
    expect(c.state()).toBe('CLOSED');
    // After a reset the backoff starts again at 2 s.
    let reopenedAt = -1;
    for (let i = 0; i < 400 && reopenedAt < 0; i++) {
      probe += MS;
      c.start(probe);
      c.fail(probe, 0);
      if (c.state() === 'OPEN') reopenedAt = probe;
    }
    expect(reopenedAt).toBeGreaterThan(0);
    expect(c.start(reopenedAt + 1999 * MS)).toBe(false);
    expect(c.start(reopenedAt + 2000 * MS)).toBe(true);
  });

  it('the library parks callers behind a half-open test (why the adapter rejects them)', async () => {
    await withInstalledClock(async (clock) => {
      const policy = circuitBreaker(handleAll, COCKATIEL_DEFAULT_OPTIONS());
      for (let i = 0; i < 5; i++)
        await policy.execute(() => Promise.reject(FAILURE)).catch(() => 0);
      expect(policy.state).toBe(CircuitState.Open);
      clock.tick(10_000);
      const test = deferred();
      const first = policy.execute(() => test.promise);
      expect(policy.state).toBe(CircuitState.HalfOpen);
      let parkedRan = false;
      const parked = policy.execute(async () => {
        parkedRan = true;
      });
      await flush();
      expect(parkedRan).toBe(false); // not rejected, not run: waiting
      test.resolve();
      await first;
      await parked;
      expect(parkedRan).toBe(true); // ran once the test closed the circuit
    });
  });

  it('sees simulated time only: Date.now() and stopwatch durations follow the simulator', () => {
    const c = new CockatielCandidate('x', COCKATIEL_DEFAULT);
    const changes: number[] = [];
    const durations: number[] = [];
    c.policy.onStateChange(() => changes.push(Date.now()));
    c.policy.onSuccess(({ duration }) => durations.push(duration));
    c.start(1_000_000_000);
    c.success(1_250_400_000, 250_400_000);
    for (let i = 0; i < 5; i++) {
      c.start(2e9 + i);
      c.fail(2_345_678_901 + i, 345_678_901);
    }
    expect(durations).toEqual([250]);
    expect(changes).toEqual([2345]); // opened at the 5th failure
    expect(c.libraryNowMs).toBe(2345);
  });

  for (const [label, config] of [
    ['default', COCKATIEL_DEFAULT],
    ['tuned', COCKATIEL_TUNED],
  ] as const) {
    it(`makes every decision the library's execute() makes (${label})`, async () => {
      const adapter = await replay(TRAFFIC, candidateDriver(new CockatielCandidate(label, config)));
      const library = await withInstalledClock((clock) =>
        replay(TRAFFIC, cockatielReference(clock, config)),
      );
      expect(firstDifference(adapter, library)).toBeUndefined();
      const counts = summary(adapter);
      expect(counts['-OPEN'] ?? 0).toBeGreaterThan(100);
      expect(counts['+HALF_OPEN'] ?? 0).toBeGreaterThan(0);
      expect(counts['+CLOSED'] ?? 0).toBeGreaterThan(5000);
    }, 120_000);

    it(`does not depend on the wall clock (${label})`, async () => {
      const plain = await replay(TRAFFIC, candidateDriver(new CockatielCandidate(label, config)));
      vi.useFakeTimers({ now: new Date('2035-01-01T00:00:00Z'), toFake: ['Date', 'performance'] });
      const jumps = new SeededRandom(98);
      const shifted = await replay(
        TRAFFIC,
        candidateDriver(new CockatielCandidate(label, config)),
        () => vi.setSystemTime(Date.now() + Math.floor(jumps.nextFloat() * 5000) - 1000),
      );
      expect(firstDifference(shifted, plain)).toBeUndefined();
    }, 120_000);
  }
});

function COCKATIEL_DEFAULT_OPTIONS() {
  return {
    halfOpenAfter: COCKATIEL_DEFAULT.halfOpenAfter(),
    breaker: COCKATIEL_DEFAULT.breaker(),
  };
}
