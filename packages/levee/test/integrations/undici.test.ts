import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Agent,
  type Dispatcher,
  getGlobalDispatcher,
  request,
  setGlobalDispatcher,
  fetch as undiciFetch,
} from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  isCircuitOpenError,
  isLimitReachedError,
  type SLO,
} from '../../src/index.js';
import { leveeInterceptor } from '../../src/integrations/undici.js';
import { LeveeRegistry } from '../../src/registry.js';
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

let baseline: Record<string, number>;
beforeAll(() => {
  baseline = handles();
});
afterAll(async () => {
  await expectNoLeakedHandles(baseline);
});

describe('undici interceptor on loopback', () => {
  let server: TestServer;
  let arrivals: Array<() => void>;
  let clock: ReturnType<typeof virtualClock>;
  let registry: LeveeRegistry;
  let agent: Agent;
  let dispatcher: Dispatcher;

  beforeEach(async () => {
    arrivals = [];
    server = await listen((req: IncomingMessage, res: ServerResponse) => {
      for (const notify of arrivals.splice(0)) notify();
      if (req.url === '/hang') return;
      const status = /^\/status\/(\d+)$/.exec(req.url ?? '');
      res.writeHead(status ? Number(status[1]) : 200);
      res.end('body');
    });
    clock = virtualClock();
    registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now });
    agent = new Agent();
    dispatcher = agent.compose(leveeInterceptor({ registry }));
  });

  afterEach(async () => {
    await agent.destroy();
    await server.close();
  });

  const arrival = () => {
    const d = deferred();
    arrivals.push(d.resolve);
    return d.promise;
  };

  it('records outcomes at the response headers: 2xx/4xx success, 5xx/429 failure', async () => {
    for (const path of ['/ok', '/status/404', '/status/500', '/status/429']) {
      const res = await request(`${server.origin}${path}`, { dispatcher });
      await res.body.text();
    }
    const res = await undiciFetch(`${server.origin}/ok`, { dispatcher });
    expect(await res.text()).toBe('body');
    const instance = registry.peek(server.origin)!;
    expect(instance.snapshot().counters).toMatchObject({ admitted: 5, succeeded: 3, failed: 2 });
    expectSettled(instance);
  });

  it('fails shed requests with CircuitOpenError without dispatching them', async () => {
    driveOpen(registry.get(server.origin), clock);
    const error = await request(`${server.origin}/ok`, { dispatcher }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ state: 'OPEN', retryAfterMs: 2500 });
    const viaFetch = await undiciFetch(`${server.origin}/ok`, { dispatcher }).catch(
      (e: unknown) => e,
    );
    expect(isCircuitOpenError((viaFetch as Error).cause)).toBe(true);
    expect(server.requests).toBe(0);
  });

  it("with undici's fetch: a shed request rejects with TypeError('fetch failed') whose cause is the CircuitOpenError (#14)", async () => {
    const instance = registry.get(server.origin);
    driveOpen(instance, clock);
    const err = await undiciFetch(`${server.origin}/ok`, { dispatcher }).catch((e: unknown) => e);
    // fetch wraps every dispatch error; the Levee error is one `cause` down.
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    const cause = (err as Error).cause;
    expect(cause).toBeInstanceOf(CircuitOpenError);
    expect(cause).toMatchObject({
      code: 'ERR_CIRCUIT_OPEN',
      state: 'OPEN',
      retryAfterMs: instance.retryAfterMs(),
    });
    expect(isCircuitOpenError(cause)).toBe(true);
    expect(server.requests).toBe(0);
  });

  it("with a global dispatcher and Node's own fetch: the same error, one cause down (#14)", async () => {
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(dispatcher);
    try {
      // Admitted requests are counted through the global dispatcher…
      const ok = await globalThis.fetch(`${server.origin}/ok`);
      expect(await ok.text()).toBe('body');
      const instance = registry.peek(server.origin)!;
      expect(instance.snapshot().counters).toMatchObject({ admitted: 1, succeeded: 1 });
      // …and shed ones never leave the process.
      driveOpen(instance, clock);
      const err = await globalThis.fetch(`${server.origin}/ok`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      const cause = (err as Error).cause as CircuitOpenError;
      expect(cause.name).toBe('CircuitOpenError');
      expect(cause).toMatchObject({ code: 'ERR_CIRCUIT_OPEN', state: 'OPEN' });
      expect(isCircuitOpenError(cause)).toBe(true);
      expect(server.requests).toBe(1);
    } finally {
      setGlobalDispatcher(previous);
    }
  });

  it('sheds an overload beyond the limit; the dependency only sees admitted requests', async () => {
    const instance = registry.get(server.origin);
    driveThrottled(instance, clock);
    const arrived = arrival();
    const controller = new AbortController();
    const first = request(`${server.origin}/hang`, { dispatcher, signal: controller.signal });
    await arrived;
    const burst = await Promise.allSettled(
      Array.from({ length: 10 }, () => request(`${server.origin}/ok`, { dispatcher })),
    );
    expect(burst.every((r) => r.status === 'rejected' && isLimitReachedError(r.reason))).toBe(true);
    expect(server.requests).toBe(1);
    controller.abort();
    await expect(first).rejects.toThrow();
    expect(instance.snapshot().counters).toMatchObject({ cancelled: 1, rejected: 10 });
    expectSettled(instance);
  });

  it('fails a dependency slower than the deadline (TimeoutError)', async () => {
    const quick = new LeveeRegistry({ slo: { successRate: 0.9, timeoutMs: 30 }, clock: clock.now });
    const d = agent.compose(leveeInterceptor({ registry: quick }));
    const arrived = arrival();
    const error = await request(`${server.origin}/hang`, { dispatcher: d }).catch(
      (e: unknown) => e,
    );
    await arrived;
    expect(error).toMatchObject({ name: 'TimeoutError' });
    const instance = quick.peek(server.origin)!;
    expect(instance.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
    expectSettled(instance);
  });

  it('counts connection errors as failures', async () => {
    const dead = await listen(() => {});
    const origin = dead.origin;
    await dead.close();
    await expect(request(`${origin}/ok`, { dispatcher })).rejects.toThrow();
    expect(registry.peek(origin)!.snapshot().counters).toMatchObject({ failed: 1 });
  });

  it('validates options', () => {
    expect(() => leveeInterceptor({} as never)).toThrow(/options.slo or options.registry/);
    expect(() => leveeInterceptor({ slo: SLO_A, key: 1 as never })).toThrow(TypeError);
    expect(leveeInterceptor({ slo: SLO_A }).registry).toBeInstanceOf(LeveeRegistry);
  });
});
