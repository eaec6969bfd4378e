import http from 'node:http';
import express, { type Request, type Response } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SLO } from '../../src/index.js';
import { DEFAULT_KEY, shedLoad } from '../../src/integrations/express.js';
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

describe('express middleware on loopback', () => {
  let server: TestServer | undefined;
  let clock: ReturnType<typeof virtualClock>;
  let registry: LeveeRegistry;
  let calls: string[];
  let held: Array<{ res: Response; closed: Promise<void> }>;
  let arrivals: Array<() => void>;

  /** An Express app behind the middleware; `/hold` waits for the test. */
  async function start(middleware: express.RequestHandler) {
    const app = express();
    app.use(middleware);
    app.use((req, _res, next) => {
      calls.push(req.path);
      for (const notify of arrivals.splice(0)) notify();
      next();
    });
    app.get('/ok', (_req, res) => {
      res.send('ok');
    });
    app.get('/missing', (_req, res) => {
      res.status(404).send('nope');
    });
    app.get('/boom', () => {
      throw new Error('boom'); // Express's default error handler answers 500
    });
    app.get('/hold', (_req: Request, res: Response) => {
      const closed = deferred();
      res.once('close', () => closed.resolve());
      held.push({ res, closed: closed.promise });
    });
    app.set('env', 'test');
    server = await listen(http.createServer(app));
    return server;
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
    await server?.close();
    server = undefined;
  });

  it('admits traffic and records outcomes: 2xx/4xx success, thrown errors (500) failure', async () => {
    const middleware = shedLoad({ registry });
    expect(middleware.registry).toBe(registry);
    const { origin } = await start(middleware);
    expect((await get(origin, '/ok')).status).toBe(200);
    expect((await get(origin, '/missing')).status).toBe(404);
    expect((await get(origin, '/nowhere')).status).toBe(404);
    expect((await get(origin, '/boom')).status).toBe(500);
    const levee = registry.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 4, succeeded: 3, failed: 1 });
    expectSettled(levee);
  });

  it('sheds with 503 + Retry-After when OPEN; no route handler runs', async () => {
    const { origin } = await start(shedLoad({ registry }));
    driveOpen(registry.get(DEFAULT_KEY), clock);
    const res = await get(origin, '/ok');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('3'); // ceil(2500 ms / 1000)
    expect(calls).toEqual([]);
  });

  it('sheds concurrent overload beyond the adaptive limit', async () => {
    const { origin } = await start(shedLoad({ registry }));
    const levee = registry.get(DEFAULT_KEY);
    driveThrottled(levee, clock);
    const arrived = arrival();
    const first = get(origin, '/hold');
    await arrived;
    const burst = await Promise.all(Array.from({ length: 8 }, () => get(origin, '/ok')));
    expect(burst.map((r) => r.status)).toEqual(Array(8).fill(503));
    expect(burst.every((r) => r.headers['retry-after'] === '1')).toBe(true);
    expect(calls).toEqual(['/hold']);
    held[0]!.res.send('released');
    expect((await first).status).toBe(200);
    expectSettled(levee);
  });

  for (const [clientAbort, counted] of [
    [undefined, { cancelled: 1, failed: 0 }],
    ['failure', { cancelled: 0, failed: 1 }],
  ] as const) {
    it(`counts an early client disconnect as ${clientAbort ?? 'a cancel (default)'}`, async () => {
      const { origin } = await start(
        shedLoad(clientAbort === undefined ? { registry } : { registry, clientAbort }),
      );
      const arrived = arrival();
      const client = rawRequest(origin, '/hold');
      await arrived;
      client.destroy();
      await held[0]!.closed;
      const levee = registry.peek(DEFAULT_KEY)!;
      expect(levee.snapshot().counters).toMatchObject({ admitted: 1, ...counted });
      expectSettled(levee);
    });
  }

  it('names shedLoad of @leveejs/levee/express in option errors', () => {
    expect(() => shedLoad({} as never)).toThrow(
      /^shedLoad \(@leveejs\/levee\/express\): options.slo or options.registry is required/,
    );
    expect(() => shedLoad({ slo: SLO_A, clientAbort: 'yes' as never })).toThrow(
      /^shedLoad \(@leveejs\/levee\/express\): options.clientAbort must be 'cancel' or 'failure', got "yes"/,
    );
  });

  it('keys by a route class computed from the Express request', async () => {
    const { origin } = await start(
      shedLoad<Request>({
        registry,
        key: (req) => `${req.method} ${req.path === '/ok' ? '/ok' : 'other'}`,
      }),
    );
    await get(origin, '/ok');
    await get(origin, '/boom');
    expect([...registry.keys()]).toEqual(['GET /ok', 'GET other']);
    driveOpen(registry.get('GET other'), clock);
    expect((await get(origin, '/missing')).status).toBe(503);
    expect((await get(origin, '/ok')).status).toBe(200);
  });

  it('fails a request whose handler outlives slo.timeoutMs', async () => {
    const quick = new LeveeRegistry({ slo: { successRate: 0.9, timeoutMs: 20 }, clock: clock.now });
    const failed = deferred();
    quick.onInstance((_key, levee) => {
      const fail = levee.fail.bind(levee);
      levee.fail = (now, d) => {
        const result = fail(now, d);
        failed.resolve();
        return result;
      };
    });
    const { origin } = await start(shedLoad({ registry: quick }));
    const arrived = arrival();
    const pending = get(origin, '/hold');
    await arrived;
    await failed.promise;
    const levee = quick.peek(DEFAULT_KEY)!;
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
    held[0]!.res.send('late');
    expect((await pending).status).toBe(200);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1, succeeded: 0 });
    expectSettled(levee);
  });
});
