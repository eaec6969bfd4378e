import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Levee, SLO } from '../../src/index.js';
import {
  createGate,
  DEFAULT_KEY,
  MAX_RETRY_AFTER_SECONDS,
  retryAfterSeconds,
  shedLoad,
} from '../../src/integrations/http.js';
import { LeveeRegistry } from '../../src/registry.js';
import {
  deferred,
  driveOpen,
  driveThrottled,
  expectSettled,
  listen,
  rawRequest,
  type TestServer,
  useLoopbackClient,
  virtualClock,
} from './net.js';

const SLO_A: SLO = { successRate: 0.9, timeoutMs: 2500 };

const get = useLoopbackClient();

/** An app with a few behaviours; `/hold` waits for the test to release it. */
function app() {
  const calls: string[] = [];
  const held: Array<{ res: ServerResponse; closed: Promise<void> }> = [];
  const arrivals: Array<() => void> = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    calls.push(url);
    for (const notify of arrivals.splice(0)) notify();
    if (url === '/hold' || url === '/never') {
      const closed = deferred();
      res.once('close', () => closed.resolve());
      held.push({ res, closed: closed.promise });
      return;
    }
    const status = /^\/status\/(\d+)$/.exec(url);
    res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain' });
    res.end('done\n');
  };
  const arrival = () => {
    const d = deferred();
    arrivals.push(d.resolve);
    return d.promise;
  };
  return { handler, calls, held, arrival };
}

describe('shedLoad (node:http) on loopback', () => {
  let server: TestServer | undefined;
  let clock: ReturnType<typeof virtualClock>;
  let registry: LeveeRegistry;

  beforeEach(() => {
    clock = virtualClock();
    registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('admits healthy traffic under one default class and records outcomes by status', async () => {
    const a = app();
    const shed = shedLoad({ registry });
    expect(shed.registry).toBe(registry);
    server = await listen(shed(a.handler));
    expect((await get(server.origin, '/ok')).status).toBe(200);
    expect((await get(server.origin, '/status/404')).status).toBe(404);
    expect((await get(server.origin, '/status/500')).status).toBe(500);
    expect((await get(server.origin, '/status/503')).status).toBe(503);
    expect([...registry.keys()]).toEqual([DEFAULT_KEY]);
    const levee = registry.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 4, succeeded: 2, failed: 2 });
    expectSettled(levee);
  });

  it('sheds with 503 + Retry-After when OPEN; the handler never runs', async () => {
    const a = app();
    server = await listen(shedLoad({ registry })(a.handler));
    driveOpen(registry.get(DEFAULT_KEY), clock);
    clock.advance(500);
    const res = await get(server.origin, '/ok');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2'); // ceil(2000 ms / 1000)
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/load shed \(OPEN\)/);
    expect(a.calls).toEqual([]);
    expect(server.requests).toBe(1);
  });

  it('sheds an overload beyond the adaptive limit with Retry-After ≥ 1', async () => {
    const a = app();
    server = await listen(shedLoad({ registry })(a.handler));
    const { origin } = server;
    const levee = registry.get(DEFAULT_KEY);
    driveThrottled(levee, clock);
    const arrived = a.arrival();
    const first = get(origin, '/hold');
    await arrived;
    const burst = await Promise.all(Array.from({ length: 10 }, () => get(origin, '/ok')));
    for (const res of burst) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
    }
    expect(a.calls).toEqual(['/hold']);
    expect(levee.snapshot().counters.rejected).toBe(10);
    a.held[0]!.res.end('released');
    expect((await first).status).toBe(200);
    expectSettled(levee);
  });

  it('counts a client that disconnects before the response as a cancel, not a failure', async () => {
    const a = app();
    server = await listen(shedLoad({ registry })(a.handler));
    const arrived = a.arrival();
    const client = rawRequest(server.origin, '/hold');
    await arrived;
    client.destroy();
    await a.held[0]!.closed;
    const levee = registry.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({
      admitted: 1,
      cancelled: 1,
      failed: 0,
      succeeded: 0,
    });
    expectSettled(levee);
    // A late answer changes nothing.
    a.held[0]!.res.end();
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, cancelled: 1, succeeded: 0 });
  });

  it("clientAbort: 'failure' counts the disconnect as a failure", async () => {
    const a = app();
    server = await listen(shedLoad({ registry, clientAbort: 'failure' })(a.handler));
    const arrived = a.arrival();
    const client = rawRequest(server.origin, '/hold');
    await arrived;
    client.destroy();
    await a.held[0]!.closed;
    const levee = registry.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1, cancelled: 0 });
    expectSettled(levee);
  });

  it('counts a response the handler destroys with an error as a failure', async () => {
    const a = app();
    server = await listen(shedLoad({ registry })(a.handler));
    const arrived = a.arrival();
    const client = rawRequest(server.origin, '/hold');
    await arrived;
    a.held[0]!.res.destroy(new Error('upstream stream broke'));
    await a.held[0]!.closed;
    await client.response.catch(() => undefined);
    const levee = registry.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1, cancelled: 0 });
    expectSettled(levee);
  });

  it('fails a handler that does not answer within slo.timeoutMs, exactly once', async () => {
    const quick = new LeveeRegistry({ slo: { successRate: 0.9, timeoutMs: 30 }, clock: clock.now });
    const failed = deferred();
    quick.onInstance((_key, levee) => {
      const fail = levee.fail.bind(levee);
      vi.spyOn(levee, 'fail').mockImplementation((now, d) => {
        const result = fail(now, d);
        failed.resolve();
        return result;
      });
    });
    const a = app();
    server = await listen(shedLoad({ registry: quick })(a.handler));
    const arrived = a.arrival();
    const client = rawRequest(server.origin, '/never');
    await arrived;
    await failed.promise;
    const levee = quick.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
    expect(levee.inflight).toBe(0);
    client.destroy();
    await a.held[0]!.closed;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1, cancelled: 0 });
    expect(levee.fail).toHaveBeenCalledTimes(1);
  });

  it('timeoutMs: false leaves a slow handler in flight until it answers', async () => {
    const quick = new LeveeRegistry({ slo: { successRate: 0.9, timeoutMs: 1 }, clock: clock.now });
    const a = app();
    server = await listen(shedLoad({ registry: quick, timeoutMs: false })(a.handler));
    const arrived = a.arrival();
    const pending = get(server.origin, '/hold');
    await arrived;
    // Real I/O round trip while held: the 1 ms SLO would long have fired.
    expect((await get(server.origin, '/ok')).status).toBe(200);
    expect(quick.peek(DEFAULT_KEY)!.inflight).toBe(1);
    a.held[0]!.res.end();
    expect((await pending).status).toBe(200);
    expect(quick.peek(DEFAULT_KEY)!.snapshot().counters).toMatchObject({ succeeded: 2 });
  });

  it('keys route classes, custom isFailure and custom shed responses', async () => {
    const a = app();
    const shed = shedLoad({
      registry,
      key: (req) => `${req.method} /${(req.url ?? '/').split('/')[1]}`,
      isFailure: (status) => status >= 400,
      onShed: (_req, res, info) => {
        res.writeHead(429, { 'retry-after': String(info.retryAfterSeconds) });
        res.end(JSON.stringify({ key: info.key, state: info.state, trigger: info.trigger }));
      },
    });
    server = await listen(shed(a.handler));
    await get(server.origin, '/status/404');
    await get(server.origin, '/ok');
    expect([...registry.keys()]).toEqual(['GET /status', 'GET /ok']);
    expect(registry.peek('GET /status')!.snapshot().counters.failed).toBe(1);
    driveOpen(registry.get('GET /status'), clock);
    const res = await get(server.origin, '/status/200');
    expect(res.status).toBe(429);
    expect(JSON.parse(res.body)).toEqual({
      key: 'GET /status',
      state: 'OPEN',
      trigger: 'MIN_LIMIT_FAILURE_RATE',
    });
    expect((await get(server.origin, '/ok')).status).toBe(200);
  });

  it('answers 503 with Retry-After: 1 when the registry is full of busy classes', async () => {
    const small = new LeveeRegistry({ slo: SLO_A, clock: clock.now, maxSize: 1 });
    const a = app();
    server = await listen(shedLoad({ registry: small, key: (req) => req.url ?? '' })(a.handler));
    const arrived = a.arrival();
    const first = get(server.origin, '/hold');
    await arrived;
    const res = await get(server.origin, '/ok');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatch(/too many route classes/);
    a.held[0]!.res.end();
    await first;
  });
});

describe('createGate: the primitive', () => {
  it('acquire() admits with a ticket completed exactly once, or returns the shed decision', () => {
    const clock = virtualClock();
    const registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now });
    const gate = createGate<{ route: string }>({ registry, key: (r) => r.route, timeoutMs: false });
    const ticket = gate.acquire({ route: 'a' });
    expect(ticket.admitted).toBe(true);
    if (!ticket.admitted) return;
    expect(ticket.key).toBe('a');
    expect(ticket.pending).toBe(true);
    expect(ticket.finish(502)).toBe(true);
    expect(ticket.pending).toBe(false);
    expect(ticket.finish(200)).toBe(false);
    expect(ticket.fail()).toBe(false);
    expect(ticket.cancel()).toBe(false);
    const levee: Levee = ticket.levee;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
    driveOpen(levee, clock);
    const shed = gate.acquire({ route: 'a' });
    expect(shed).toMatchObject({
      admitted: false,
      key: 'a',
      reason: 'circuit',
      state: 'OPEN',
      retryAfterMs: 2500,
      retryAfterSeconds: 3,
    });
  });

  it('computes Retry-After as whole seconds, at least 1', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(20_000)).toBe(20);
  });

  it('keeps Retry-After a finite integer for any hint (#12)', () => {
    expect(MAX_RETRY_AFTER_SECONDS).toBe(2147483647);
    expect(retryAfterSeconds(Number.POSITIVE_INFINITY)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(retryAfterSeconds(1e300)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(retryAfterSeconds(Number.MAX_VALUE)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(retryAfterSeconds(2147483647 * 1000)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(retryAfterSeconds(2147483647 * 1000 + 1)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(retryAfterSeconds(Number.NaN)).toBe(1);
    expect(retryAfterSeconds(-5)).toBe(1);
    expect(retryAfterSeconds(Number.NEGATIVE_INFINITY)).toBe(1);
    for (const ms of [0, 0.5, 999.9, 1e6, 1e12, 1e15, 1e20]) {
      expect(Number.isInteger(retryAfterSeconds(ms))).toBe(true);
    }
  });

  it('sends a finite integer Retry-After even for an infinite hint (#12)', async () => {
    const clock = virtualClock();
    const registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now });
    const levee = registry.get(DEFAULT_KEY);
    driveOpen(levee, clock);
    // What a huge timeoutMs gave before the core capped its hint.
    vi.spyOn(levee, 'retryAfterMs').mockReturnValue(Number.POSITIVE_INFINITY);
    const server = await listen(shedLoad({ registry })(app().handler));
    try {
      const res = await get(server.origin, '/ok');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe(String(MAX_RETRY_AFTER_SECONDS));
    } finally {
      await server.close();
    }
  });

  it('validates options, naming the function that was called', () => {
    expect(() => createGate({} as never)).toThrow(
      /^createGate: options.slo or options.registry is required/,
    );
    expect(() => shedLoad({} as never)).toThrow(
      /^shedLoad: options.slo or options.registry is required/,
    );
    expect(() => createGate({ slo: SLO_A, clientAbort: 'ignore' as never })).toThrow(
      /createGate: options.clientAbort must be 'cancel' or 'failure', got "ignore"/,
    );
    expect(() => createGate({} as never, 'myAdapter')).toThrow(/^myAdapter: options.slo/);
    expect(() => createGate({ slo: SLO_A, key: 'route' as never })).toThrow(
      /options.key must be a function, got "route"/,
    );
    expect(() => createGate({ slo: SLO_A, isFailure: 1 as never })).toThrow(TypeError);
    expect(() => createGate({ slo: SLO_A, timeoutMs: -5 })).toThrow(
      /options.timeoutMs must be > 0 \(or false\), got -5/,
    );
    const gate = createGate({ slo: SLO_A, key: () => 7 as never });
    expect(() => gate.acquire({} as IncomingMessage)).toThrow(/key must return a string, got 7/);
    expect(() => shedLoad({ slo: SLO_A })(undefined as never)).toThrow(
      /handler must be a function/,
    );
  });
});
