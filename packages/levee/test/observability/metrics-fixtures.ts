/**
 * Drives Levee instances to known states through the out-of-band API with
 * explicit timestamps (no clock, no timers), for the metrics and dashboard
 * tests.
 */
import { type IncomingHttpHeaders, request } from 'node:http';
import { expect } from 'vitest';
import { Levee, type SLO } from '../../src/index.js';

export const SLO_99: SLO = { successRate: 0.99, timeoutMs: 1000 };
/** The fixtures' figures are those of the v0.4 estimators (docs/ALGORITHM.md §3.2). */
export const V04 = { estimator: 'v0.4' } as const;

/** `n` successful calls of `durationMs`, one every `gapMs`, from `t`; returns the next free time. */
export function succeed(levee: Levee, t: number, n: number, durationMs = 10, gapMs = 20): number {
  for (let i = 0; i < n; i++) {
    const start = t + i * gapMs;
    expect(levee.start(start).admitted).toBe(true);
    levee.success(start + durationMs, durationMs);
  }
  return t + n * gapMs;
}

/** Consecutive failures from a fresh instance until it throttles; returns the time of the trip. */
export function toThrottled(levee: Levee, t = 0): number {
  for (let i = 0; i < 20; i++) {
    const start = t + i * 10;
    expect(levee.start(start).admitted).toBe(true);
    const r = levee.fail(start + 5, 5);
    if (r.state === 'THROTTLED') {
      expect(r.trigger).toBe('CONSECUTIVE_FAILURES');
      return start + 5;
    }
  }
  throw new Error('did not throttle');
}

/** THROTTLED at the floor limit, one failed probe, then a window later: OPEN. Returns the time it opened. */
export function toOpen(levee: Levee, t = 0): number {
  const tripped = toThrottled(levee, t);
  expect(levee.start(tripped + 1).admitted).toBe(true);
  levee.fail(tripped + 2, 1);
  const at = tripped + 500; // past the 100 ms minimum window
  const r = levee.start(at);
  expect(r).toMatchObject({ admitted: false, state: 'OPEN', trigger: 'MIN_LIMIT_FAILURE_RATE' });
  return at;
}

/** OPEN, then a start after the cooldown (the SLO timeout): HALF_OPEN with one probe admitted and left in flight. */
export function toHalfOpen(levee: Levee, t = 0): number {
  const opened = toOpen(levee, t);
  const at = opened + levee.slo.timeoutMs + 1;
  const r = levee.start(at);
  expect(r).toMatchObject({ admitted: true, state: 'HALF_OPEN', trigger: 'COOLDOWN_EXPIRED' });
  return at;
}

/** One instance in each state, keyed by its state in lower case. */
export function fourStates(): Map<string, Levee> {
  const closed = new Levee(SLO_99, V04);
  succeed(closed, 0, 60);
  // Three calls left in flight.
  for (const t of [2000, 2001, 2002]) expect(closed.start(t).admitted).toBe(true);
  const throttled = new Levee(SLO_99, V04);
  toThrottled(throttled);
  const open = new Levee(SLO_99, V04);
  toOpen(open);
  const halfOpen = new Levee(SLO_99, V04);
  toHalfOpen(halfOpen);
  return new Map([
    ['closed', closed],
    ['throttled', throttled],
    ['open', open],
    ['half_open', halfOpen],
  ]);
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request over a fresh connection (no keep-alive agent: nothing lingers after the test). */
export function httpRequest(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/**
 * Takes a census of the active handles now; the returned function waits (up
 * to 2 s) until there are no more of any kind than then, and fails otherwise:
 * no server, socket, timer or child process outlives the tests.
 */
export function handleCensus(): () => Promise<void> {
  const before = countResources();
  return async () => {
    let extra: string[] = [];
    for (let i = 0; i < 200; i++) {
      extra = [];
      for (const [kind, n] of countResources()) {
        if (n > (before.get(kind) ?? 0)) extra.push(`${kind} ×${n - (before.get(kind) ?? 0)}`);
      }
      if (extra.length === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(extra, 'handles left open after the tests').toEqual([]);
  };
}
