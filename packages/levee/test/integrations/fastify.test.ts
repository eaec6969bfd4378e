import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SLO } from '../../src/index.js';
import levee, { DEFAULT_KEY, levee as namedPlugin } from '../../src/integrations/fastify.js';
import { MAX_RETRY_AFTER_SECONDS } from '../../src/integrations/http.js';
import { LeveeRegistry } from '../../src/registry.js';
import {
  deferred,
  driveOpen,
  driveThrottled,
  expectSettled,
  rawRequest,
  useLoopbackClient,
  virtualClock,
} from './net.js';

const SLO_A: SLO = { successRate: 0.9, timeoutMs: 2500 };

const get = useLoopbackClient();

describe('fastify plugin on loopback', () => {
  let app: FastifyInstance | undefined;
  let clock: ReturnType<typeof virtualClock>;
  let registry: LeveeRegistry;
  let calls: string[];
  let held: Array<{ reply: FastifyReply; closed: Promise<void> }>;
  let arrivals: Array<() => void>;

  async function start(options: Parameters<typeof levee>[1], onApp?: (a: FastifyInstance) => void) {
    const a = Fastify({ forceCloseConnections: true });
    app = a;
    await a.register(levee, options);
    onApp?.(a);
    const note = (url: string) => {
      calls.push(url);
      for (const notify of arrivals.splice(0)) notify();
    };
    a.get('/ok', async () => {
      note('/ok');
      return { ok: true };
    });
    a.get('/missing', async (_req, reply) => {
      note('/missing');
      return reply.code(404).send({ ok: false });
    });
    a.get('/boom', async () => {
      note('/boom');
      throw new Error('boom');
    });
    a.get('/hold', (_req, reply) => {
      note('/hold');
      const closed = deferred();
      reply.raw.once('close', () => closed.resolve());
      held.push({ reply, closed: closed.promise });
    });
    const address = await a.listen({ port: 0, host: '127.0.0.1' });
    return address;
  }

  const arrival = () => {
    const d = deferred();
    arrivals.push(d.resolve);
    return d.promise;
  };

  beforeEach(() => {
    clock = virtualClock();
    registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now });
    calls = [];
    held = [];
    arrivals = [];
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is a fastify-plugin-style plugin (skip-override) and exposes the registry', async () => {
    expect(namedPlugin).toBe(levee);
    expect((levee as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(true);
    await start({ registry });
    expect(app!.leveeRegistry).toBe(registry);
  });

  it('admits traffic and records outcomes via onResponse', async () => {
    const origin = await start({ registry });
    expect((await get(origin, '/ok')).status).toBe(200);
    expect((await get(origin, '/missing')).status).toBe(404);
    expect((await get(origin, '/nowhere')).status).toBe(404);
    expect((await get(origin, '/boom')).status).toBe(500);
    const instance = registry.peek(DEFAULT_KEY)!;
    expect(instance.snapshot().counters).toMatchObject({ admitted: 4, succeeded: 3, failed: 1 });
    expectSettled(instance);
  });

  it('sheds in onRequest with 503 + Retry-After; the handler never runs', async () => {
    const origin = await start({ registry });
    driveOpen(registry.get(DEFAULT_KEY), clock);
    clock.advance(1500);
    const res = await get(origin, '/ok');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'load shed (OPEN)',
    });
    expect(calls).toEqual([]);
    // The shed response passed through onResponse without completing anything.
    const instance = registry.peek(DEFAULT_KEY)!;
    expect(instance.inflight).toBe(0);
    expectSettled(instance);
  });

  it('sheds concurrent overload beyond the adaptive limit', async () => {
    const origin = await start({ registry });
    const instance = registry.get(DEFAULT_KEY);
    driveThrottled(instance, clock);
    const arrived = arrival();
    const first = get(origin, '/hold');
    await arrived;
    const burst = await Promise.all(Array.from({ length: 8 }, () => get(origin, '/ok')));
    expect(burst.map((r) => r.status)).toEqual(Array(8).fill(503));
    expect(calls).toEqual(['/hold']);
    held[0]!.reply.send({ released: true });
    expect((await first).status).toBe(200);
    expectSettled(instance);
  });

  for (const [clientAbort, counted] of [
    [undefined, { cancelled: 1, failed: 0 }],
    ['failure', { cancelled: 0, failed: 1 }],
  ] as const) {
    it(`counts an early client disconnect (onRequestAbort) as ${clientAbort ?? 'a cancel (default)'}`, async () => {
      const origin = await start(
        clientAbort === undefined ? { registry } : { registry, clientAbort },
      );
      const arrived = arrival();
      const client = rawRequest(origin, '/hold');
      await arrived;
      client.destroy();
      await held[0]!.closed;
      const instance = registry.peek(DEFAULT_KEY)!;
      expect(instance.snapshot().counters).toMatchObject({ admitted: 1, succeeded: 0, ...counted });
      expectSettled(instance);
    });
  }

  it('never sheds nor counts a route with config: { levee: false } (#14)', async () => {
    const origin = await start({ registry }, (a) => {
      a.get('/healthz', { config: { levee: false } }, async () => 'ok');
      a.get('/metrics', { config: { levee: false } }, async () => 'levee_inflight 0\n');
      a.get('/protected', { config: { levee: true } }, async () => 'yes');
    });
    expect((await get(origin, '/healthz')).status).toBe(200);
    expect(registry.peek(DEFAULT_KEY)).toBeUndefined(); // not even created
    expect((await get(origin, '/protected')).status).toBe(200);
    const instance = registry.get(DEFAULT_KEY);
    expect(instance.snapshot().counters).toMatchObject({ admitted: 1, succeeded: 1 });
    driveOpen(instance, clock);
    const before = instance.snapshot().counters;
    // While the app sheds, health and metrics still answer.
    for (let i = 0; i < 5; i++) {
      expect((await get(origin, '/healthz')).status).toBe(200);
      expect(await get(origin, '/metrics')).toMatchObject({
        status: 200,
        body: 'levee_inflight 0\n',
      });
    }
    expect((await get(origin, '/ok')).status).toBe(503);
    expect((await get(origin, '/protected')).status).toBe(503);
    expect(instance.snapshot().counters).toMatchObject({
      admitted: before.admitted,
      rejected: before.rejected + 2,
    });
    expectSettled(instance);
  });

  it('sends a finite integer Retry-After even for an infinite hint (#12)', async () => {
    const origin = await start({ registry });
    const instance = registry.get(DEFAULT_KEY);
    driveOpen(instance, clock);
    vi.spyOn(instance, 'retryAfterMs').mockReturnValue(Number.POSITIVE_INFINITY);
    const res = await get(origin, '/ok');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(MAX_RETRY_AFTER_SECONDS));
  });

  it('keys per route with request.routeOptions.url', async () => {
    const origin = await start({
      registry,
      key: (req) => `${req.method} ${req.routeOptions.url ?? '(unmatched)'}`,
    });
    await get(origin, '/ok');
    await get(origin, '/boom');
    await get(origin, '/nowhere');
    expect([...registry.keys()]).toEqual(['GET /ok', 'GET /boom', 'GET (unmatched)']);
    driveOpen(registry.get('GET /boom'), clock);
    expect((await get(origin, '/boom')).status).toBe(503);
    expect((await get(origin, '/ok')).status).toBe(200);
  });

  it('accepts a custom shed response', async () => {
    const origin = await start({
      registry,
      onShed: (_req, reply, shed) => {
        reply.code(429).header('retry-after', String(shed.retryAfterSeconds)).send('slow down');
      },
    });
    driveOpen(registry.get(DEFAULT_KEY), clock);
    const res = await get(origin, '/ok');
    expect(res).toMatchObject({ status: 429, body: 'slow down' });
    expect(res.headers['retry-after']).toBe('3');
  });

  it('rejects invalid options at registration, naming the plugin', async () => {
    const a = Fastify();
    await expect(a.register(levee, {} as never)).rejects.toThrow(
      /^levee plugin \(@leveejs\/levee\/fastify\): options.slo or options.registry is required/,
    );
    await a.close();
    const b = Fastify();
    await expect(b.register(levee, { slo: SLO_A, onShed: 'x' as never })).rejects.toThrow(
      /^levee plugin \(@leveejs\/levee\/fastify\): options.onShed must be a function/,
    );
    await b.close();
    const c = Fastify();
    await expect(c.register(levee, { slo: SLO_A, clientAbort: 1 as never })).rejects.toThrow(
      /options.clientAbort must be 'cancel' or 'failure', got 1/,
    );
    await c.close();
  });
});
