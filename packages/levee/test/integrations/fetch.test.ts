import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, Request as UndiciRequest, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  isCircuitOpenError,
  isLimitReachedError,
  type SLO,
} from '../../src/index.js';
import { createFetch, defaultClassify, isFailureStatus } from '../../src/integrations/fetch.js';
import { LeveeRegistry, RegistryFullError } from '../../src/registry.js';
import {
  deferred,
  driveOpen,
  driveThrottled,
  expectNoLeakedHandles,
  expectSettled,
  handles,
  listen,
  type TestServer,
  virtualClock,
} from './net.js';

const SLO_A: SLO = { successRate: 0.9, timeoutMs: 2500 };

/** The dependency: behaviour chosen by path. `/hang` never answers; each arrival is announced. */
function dependency(arrivals: Array<(path: string) => void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    for (const notify of arrivals.splice(0)) notify(url);
    if (url === '/hang') return;
    const status = /^\/status\/(\d+)$/.exec(url);
    res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain' });
    res.end(`${url}\n`);
  };
}

let agent: Agent;
let baseline: Record<string, number>;
/** undici's fetch on a dedicated agent, so every socket is closed before the leak check. */
const testFetch = ((
  input: Parameters<typeof undiciFetch>[0],
  init?: Parameters<typeof undiciFetch>[1],
) => undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof globalThis.fetch;

beforeAll(() => {
  baseline = handles();
  agent = new Agent({ keepAliveTimeout: 10_000 });
});

afterAll(async () => {
  await agent.close();
  await expectNoLeakedHandles(baseline);
});

describe('createFetch on loopback', () => {
  let server: TestServer;
  let arrivals: Array<(path: string) => void>;
  let clock: ReturnType<typeof virtualClock>;
  let registry: LeveeRegistry;

  beforeEach(async () => {
    arrivals = [];
    server = await listen(dependency(arrivals));
    clock = virtualClock();
    registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now });
  });

  afterEach(async () => {
    await server.close();
  });

  const arrival = () => {
    const d = deferred<string>();
    arrivals.push(d.resolve);
    return d.promise;
  };

  it('passes healthy responses through and records successes per origin', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    expect(fetch.registry).toBe(registry);
    const res = await fetch(`${server.origin}/ok`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('/ok\n');
    const res404 = await fetch(new URL('/status/404', server.origin));
    expect(res404.status).toBe(404);
    await res404.text();
    const levee = registry.peek(server.origin)!;
    expect([...registry.keys()]).toEqual([server.origin]);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 2, succeeded: 2, failed: 0 });
    expectSettled(levee);
  });

  it('returns 5xx and 429 responses but counts them as failures', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    for (const code of [500, 503, 429]) {
      const res = await fetch(`${server.origin}/status/${code}`);
      expect(res.status).toBe(code);
      await res.text();
    }
    const levee = registry.peek(server.origin)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 3, failed: 3, succeeded: 0 });
    expectSettled(levee);
  });

  it('counts network errors as failures and rethrows them', async () => {
    const dead = await listen(() => {});
    const origin = dead.origin;
    await dead.close();
    const fetch = createFetch({ registry, fetch: testFetch });
    await expect(fetch(`${origin}/ok`)).rejects.toThrow(TypeError);
    const levee = registry.peek(origin)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
    expectSettled(levee);
  });

  it('enforces slo.timeoutMs with AbortSignal.timeout: a slow dependency is a failure', async () => {
    const slow = new LeveeRegistry({ slo: { successRate: 0.9, timeoutMs: 40 }, clock: clock.now });
    const fetch = createFetch({ registry: slow, fetch: testFetch });
    const arrived = arrival();
    const error = await fetch(`${server.origin}/hang`).catch((err: unknown) => err);
    await arrived;
    expect(error).toMatchObject({ name: 'TimeoutError' });
    const levee = slow.peek(server.origin)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1, cancelled: 0 });
    expectSettled(levee);
  });

  it('releases the slot without an outcome when the caller aborts', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    const controller = new AbortController();
    const arrived = arrival();
    const pending = fetch(`${server.origin}/hang`, { signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const levee = registry.peek(server.origin)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, cancelled: 1, failed: 0 });
    expectSettled(levee);
  });

  it("counts the caller's own TimeoutError as a failure (as levee.call does)", async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    const arrived = arrival();
    const pending = fetch(`${server.origin}/hang`, { signal: AbortSignal.timeout(30) });
    await arrived;
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    const levee = registry.peek(server.origin)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1, cancelled: 0 });
  });

  it('honours the signal of a Request input', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    const controller = new AbortController();
    const arrived = arrival();
    // undici's own Request class: the test fetch is undici 7, not Node's bundled copy.
    const request = new UndiciRequest(`${server.origin}/hang`, { signal: controller.signal });
    const pending = fetch(request as unknown as Request);
    await arrived;
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toThrow('user left');
    expect(registry.peek(server.origin)!.snapshot().counters).toMatchObject({ cancelled: 1 });
  });

  it('rejects an already aborted call without admission or network', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(fetch(`${server.origin}/ok`, { signal: controller.signal })).rejects.toThrow(
      'too late',
    );
    expect(server.requests).toBe(0);
    expect(registry.peek(server.origin)!.snapshot().counters.admitted).toBe(0);
  });

  it('rejects with CircuitOpenError without touching the network when OPEN', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    driveOpen(registry.get(server.origin), clock);
    clock.advance(500);
    const error = await fetch(`${server.origin}/ok`).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toMatchObject({ state: 'OPEN', trigger: 'MIN_LIMIT_FAILURE_RATE' });
    expect((error as CircuitOpenError).retryAfterMs).toBe(2000);
    expect(server.requests).toBe(0);
  });

  it('sheds an overload beyond the adaptive limit; shed requests never reach the dependency', async () => {
    const fetch = createFetch({ registry, fetch: testFetch });
    const levee = registry.get(server.origin);
    driveThrottled(levee, clock);
    const arrived = arrival();
    const inFlight = fetch(`${server.origin}/hang`, { signal: AbortSignal.timeout(60_000) });
    await arrived;
    const burst = await Promise.allSettled(
      Array.from({ length: 20 }, () => fetch(`${server.origin}/ok`)),
    );
    expect(burst.every((r) => r.status === 'rejected' && isLimitReachedError(r.reason))).toBe(true);
    expect(server.requests).toBe(1);
    expect(levee.snapshot()).toMatchObject({ state: 'THROTTLED', inflight: 1 });
    expect(levee.snapshot().counters.rejected).toBe(20);
    // The slot frees when the call ends; only the dependency's slot was used.
    await server.close();
    await expect(inFlight).rejects.toThrow();
    expect(levee.inflight).toBe(0);
  });

  it('keeps origins apart: one failing dependency does not shed another', async () => {
    const other = await listen(dependency([]));
    try {
      const fetch = createFetch({ registry, fetch: testFetch });
      driveOpen(registry.get(server.origin), clock);
      await expect(fetch(`${server.origin}/ok`)).rejects.toBeInstanceOf(CircuitOpenError);
      const res = await fetch(`${other.origin}/ok`);
      expect(res.status).toBe(200);
      await res.text();
      expect(other.requests).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('accepts custom classify and key functions', async () => {
    const seen: unknown[] = [];
    const fetch = createFetch({
      registry,
      fetch: testFetch,
      key: (url, init) => `${init?.method ?? 'GET'} ${url.pathname.split('/')[1]}`,
      classify: (res, err, context) => {
        seen.push([res?.status, err === undefined, context]);
        return res?.status === 404 ? 'failure' : res?.status === 500 ? 'ignore' : 'success';
      },
    });
    await (await fetch(`${server.origin}/status/404`)).text();
    await (await fetch(`${server.origin}/status/500`)).text();
    await (await fetch(`${server.origin}/ok`, { method: 'POST' })).text();
    expect([...registry.keys()]).toEqual(['GET status', 'POST ok']);
    expect(registry.peek('GET status')!.snapshot().counters).toMatchObject({
      failed: 1,
      cancelled: 1,
    });
    expect(seen[0]).toEqual([
      404,
      true,
      { key: 'GET status', timedOut: false, callerAborted: false },
    ]);
  });

  it('releases the slot and throws when classify misbehaves', async () => {
    const fetch = createFetch({
      registry,
      fetch: testFetch,
      classify: () => 'maybe' as never,
    });
    await expect(fetch(`${server.origin}/ok`)).rejects.toThrow(
      /classify must return 'success', 'failure' or 'ignore', got "maybe"/,
    );
    const levee = registry.peek(server.origin)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, cancelled: 1 });
  });

  it('timeoutMs: false leaves deadlines to the caller', async () => {
    const fetch = createFetch({ registry, fetch: testFetch, timeoutMs: false });
    const controller = new AbortController();
    const arrived = arrival();
    const pending = fetch(`${server.origin}/hang`, { signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with RegistryFullError (no network) when every origin is busy', async () => {
    const small = new LeveeRegistry({ slo: SLO_A, clock: clock.now, maxSize: 1 });
    const permit = small.get('http://elsewhere.invalid').tryAcquire();
    const fetch = createFetch({ registry: small, fetch: testFetch });
    await expect(fetch(`${server.origin}/ok`)).rejects.toBeInstanceOf(RegistryFullError);
    expect(server.requests).toBe(0);
    permit!.cancel();
  });

  it('uses globalThis.fetch by default', async () => {
    const fetch = createFetch({ slo: SLO_A });
    const res = await fetch(`${server.origin}/ok`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    await res.text();
    expect(fetch.registry.peek(server.origin)!.snapshot().counters.succeeded).toBe(1);
  });
});

describe('createFetch: options and classification', () => {
  it('validates options', () => {
    expect(() => createFetch(undefined as never)).toThrow(TypeError);
    expect(() => createFetch({} as never)).toThrow(/options.slo or options.registry is required/);
    expect(() =>
      createFetch({ slo: SLO_A, registry: new LeveeRegistry({ slo: SLO_A }) } as never),
    ).toThrow(/either options.slo or options.registry/);
    expect(() => createFetch({ registry: new Map() as never })).toThrow(
      /options.registry must be a LeveeRegistry/,
    );
    expect(() => createFetch({ slo: { successRate: 1, timeoutMs: 1 } })).toThrow(RangeError);
    expect(() => createFetch({ slo: SLO_A, classify: 'x' as never })).toThrow(
      /options.classify must be a function, got "x"/,
    );
    expect(() => createFetch({ slo: SLO_A, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createFetch({ slo: SLO_A, timeoutMs: '5' as never })).toThrow(TypeError);
  });

  it('classifies by default: 5xx/429 and errors fail, caller aborts are ignored', () => {
    const ctx = { key: 'k', timedOut: false, callerAborted: false };
    const res = (status: number) => new Response(null, { status });
    expect(defaultClassify(res(200), undefined, ctx)).toBe('success');
    expect(defaultClassify(res(404), undefined, ctx)).toBe('success');
    expect(defaultClassify(res(429), undefined, ctx)).toBe('failure');
    expect(defaultClassify(res(502), undefined, ctx)).toBe('failure');
    expect(defaultClassify(undefined, new TypeError('fetch failed'), ctx)).toBe('failure');
    expect(defaultClassify(undefined, new Error('x'), { ...ctx, timedOut: true })).toBe('failure');
    const abort = new DOMException('aborted', 'AbortError');
    expect(defaultClassify(undefined, abort, { ...ctx, callerAborted: true })).toBe('ignore');
    const timeout = new DOMException('timeout', 'TimeoutError');
    expect(defaultClassify(undefined, timeout, { ...ctx, callerAborted: true })).toBe('failure');
    expect(isFailureStatus(499)).toBe(false);
    expect(isFailureStatus(500)).toBe(true);
  });
});
