import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Levee } from '../../src/index.js';
import {
  createDashboardHandler,
  type DashboardHandler,
  type DashboardPayload,
  type DashboardRequest,
  type DashboardResponse,
  dashboardPayload,
  historySize,
  hostName,
  MAX_HISTORY_POINTS,
} from '../../src/observability/dashboard.js';
import { LeveeRegistry } from '../../src/registry.js';
import { fourStates, handleCensus, httpRequest, SLO_99, toThrottled } from './metrics-fixtures.js';

let checkHandles: () => Promise<void>;
beforeAll(() => {
  checkHandles = handleCensus();
});
afterAll(async () => {
  await checkHandles();
});

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function dashboard(...args: Parameters<typeof createDashboardHandler>): DashboardHandler {
  const handler = createDashboardHandler(...args);
  cleanup.push(() => handler.close());
  return handler;
}

/** An SSE client over node:http: collects the `data:` payloads until closed. */
interface SseClient {
  readonly response: IncomingMessage;
  readonly messages: DashboardPayload[];
  /** Resolves with the n-th message (1-based) once it has arrived. */
  next(n: number, timeoutMs?: number): Promise<DashboardPayload>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

function sse(url: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      const messages: DashboardPayload[] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i = buffer.indexOf('\n\n');
        while (i >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith('data: ')) messages.push(JSON.parse(line.slice(6)));
          }
          i = buffer.indexOf('\n\n');
        }
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      const client: SseClient = {
        response: res,
        messages,
        ended,
        next(n, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          return new Promise((ok, fail) => {
            const check = (): void => {
              const m = messages[n - 1];
              if (m !== undefined) ok(m);
              else if (Date.now() > deadline)
                fail(new Error(`no message #${n} in ${timeoutMs} ms`));
              else {
                waiters.push(check);
                setTimeout(check, 50).unref();
              }
            };
            check();
          });
        },
        close() {
          req.destroy();
        },
      };
      resolve(client);
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('dashboardPayload', () => {
  test('one entry per instance with state, limits, error rate and SLO budget', () => {
    const levees = fourStates();
    const p = dashboardPayload(levees, 250);
    expect(p.intervalMs).toBe(250);
    expect(p.instances.map((i) => [i.key, i.state])).toEqual([
      ['closed', 'CLOSED'],
      ['throttled', 'THROTTLED'],
      ['open', 'OPEN'],
      ['half_open', 'HALF_OPEN'],
    ]);
    const closed = p.instances[0]!;
    expect(closed).toMatchObject({
      inflight: 3,
      capped: false,
      limit: 0,
      estimatedCapacity: 0.5,
      successRate: 0.99,
      sloErr: 0.01, // 1 − 0.99 without float noise (thresholds.sloErr is 0.010000000000000009)
      counters: { admitted: 63, succeeded: 60 },
    });
    expect(p.instances[1]).toMatchObject({ capped: true, limit: 1, errorRate: 1 });
  });

  test('shows what the core reports: every figure is the snapshot, unchanged (#12)', () => {
    const levees = fourStates();
    const p = dashboardPayload(levees);
    for (const i of p.instances) {
      const levee = levees.get(i.key)!;
      const s = levee.snapshot();
      expect(i).toEqual({
        key: i.key,
        state: s.state,
        trigger: s.trigger,
        inflight: s.inflight,
        capped: s.capped,
        limit: s.limit,
        estimatedCapacity: s.estimatedCapacity,
        errorRate: s.errorRate,
        errorLowerBound: s.errorLowerBound,
        goodput: s.goodput,
        latencyMs: s.latencyMs,
        successRate: levee.slo.successRate,
        sloErr: 0.01, // the budget of 0.99, written cleanly (#14)
        counters: s.counters,
      });
    }
  });

  test('a throwing source gives an error message, not an exception', () => {
    const p = dashboardPayload(() => {
      throw new Error('boom');
    });
    expect(p).toMatchObject({ instances: [], error: 'boom' });
  });
});

/** A request/response pair without a socket, for the handler's logic under fake timers. */
function exchange(
  url: string,
  { host, local = '127.0.0.1' }: { host?: string; local?: string } = {},
): {
  req: DashboardRequest;
  res: DashboardResponse & { headers: Record<string, string>; ended: boolean };
  messages(): DashboardPayload[];
  body(): string;
  disconnect(): void;
} {
  const chunks: string[] = [];
  const listeners: Record<string, Array<() => void>> = {};
  const res = {
    statusCode: 0,
    headers: {} as Record<string, string>,
    ended: false,
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    end(chunk?: string) {
      if (chunk !== undefined) chunks.push(chunk);
      this.ended = true;
    },
    on(event: 'close' | 'drain', listener: () => void) {
      (listeners[event] ??= []).push(listener);
    },
  };
  const req: DashboardRequest = {
    url,
    method: 'GET',
    headers: host === undefined ? {} : { host },
    socket: { localAddress: local },
  };
  return {
    req,
    res,
    messages: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as DashboardPayload),
    body: () => chunks.join(''),
    disconnect: () => {
      for (const fn of listeners.close ?? []) fn();
    },
  };
}

describe('the server-side history (#14)', () => {
  test('keeps a minute of samples, at most MAX_HISTORY_POINTS, at least 2', () => {
    expect(historySize(1000)).toBe(60);
    expect(historySize(250)).toBe(240);
    expect(historySize(125)).toBe(MAX_HISTORY_POINTS);
    expect(historySize(10)).toBe(MAX_HISTORY_POINTS);
    expect(historySize(30_000)).toBe(2);
    expect(historySize(3_600_000)).toBe(2);
  });

  test('samples from creation on, bounded, and sends the history first to each new stream', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const db = new Levee(SLO_99);
      const levees = new Map([['db', db]]);
      const handler = createDashboardHandler(levees, { intervalMs: 1000 });
      try {
        expect(handler.ticking).toBe(true);
        vi.advanceTimersByTime(5000); // five samples, nobody watching
        toThrottled(db);
        levees.set('cache', new Levee(SLO_99));
        vi.advanceTimersByTime(2000);

        const a = exchange('/events');
        handler(a.req, a.res);
        const [first] = a.messages();
        expect(first).toMatchObject({ t: 1_007_000, historySize: 60 });
        expect(first!.instances.map((i) => i.key)).toEqual(['db', 'cache']);
        const history = new Map(first!.history!.map((h) => [h.key, h.points]));
        expect([...history.keys()]).toEqual(['db', 'cache']);
        const dbPoints = history.get('db')!;
        expect(dbPoints.map((p) => p.t)).toEqual([
          1_001_000, 1_002_000, 1_003_000, 1_004_000, 1_005_000, 1_006_000, 1_007_000,
        ]);
        expect(dbPoints[0]).toEqual({ t: 1_001_000, inflight: 0, limit: null, errorRate: 0 });
        expect(dbPoints[6]).toEqual({ t: 1_007_000, inflight: 0, limit: 1, errorRate: 1 });
        expect(history.get('cache')!.map((p) => p.t)).toEqual([1_006_000, 1_007_000]);

        // Live: one message per tick, without the history.
        vi.advanceTimersByTime(3000);
        expect(a.messages()).toHaveLength(4);
        expect(
          a
            .messages()
            .slice(1)
            .every((m) => m.history === undefined),
        ).toBe(true);
        a.disconnect();
        expect(handler.clients).toBe(0);

        // Bounded: two minutes later, one minute is kept.
        vi.advanceTimersByTime(120_000);
        levees.delete('cache');
        vi.advanceTimersByTime(1000);
        const b = exchange('/events');
        handler(b.req, b.res);
        const later = b.messages()[0]!.history!;
        expect(later.map((h) => h.key)).toEqual(['db']); // evicted instances are forgotten
        expect(later[0]!.points).toHaveLength(60);
        expect(later[0]!.points.at(-1)!.t).toBe(Date.now());
        expect(later[0]!.points[0]!.t).toBe(Date.now() - 59_000);

        // snapshot.json carries no history.
        const json = exchange('/snapshot.json');
        handler(json.req, json.res);
        expect(JSON.parse(json.body()).history).toBeUndefined();
      } finally {
        handler.close();
      }
      expect(handler.ticking).toBe(false);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the Host check (DNS rebinding, #12)', () => {
  test('parses Host header values', () => {
    expect(hostName('LocalHost:9464')).toBe('localhost');
    expect(hostName('example.com.')).toBe('example.com');
    expect(hostName('[::1]:80')).toBe('[::1]');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostName('[::1')).toBeUndefined();
    expect(hostName('a:b')).toBeUndefined();
    expect(hostName('user@evil.example')).toBeUndefined();
    expect(hostName('')).toBeUndefined();
  });

  test('derives the allowed names from the address the connection arrived at', () => {
    const handler = dashboard(new Map(), {});
    const status = (host: string | undefined, local: string): number => {
      const x = exchange('/snapshot.json', host === undefined ? { local } : { host, local });
      handler(x.req, x.res);
      return x.res.statusCode;
    };
    // Loopback: its names and its address.
    for (const host of ['localhost', 'localhost:1', '127.0.0.1:9464', '[::1]:9464']) {
      expect(status(host, '127.0.0.1'), host).toBe(200);
      expect(status(host, '::1'), host).toBe(200);
      expect(status(host, '::ffff:127.0.0.1'), host).toBe(200);
    }
    expect(status('127.0.0.2', '127.0.0.2')).toBe(200);
    // A LAN address: that address only.
    expect(status('10.1.2.3:9464', '10.1.2.3')).toBe(200);
    expect(status('[fd00::5]:9464', 'fd00::5')).toBe(200);
    for (const host of ['localhost', 'box.internal', '10.1.2.4']) {
      expect(status(host, '10.1.2.3'), host).toBe(421);
    }
    // Any other name, on any address.
    for (const local of ['127.0.0.1', '::1', '10.1.2.3']) {
      for (const host of ['evil.example', 'evil.example:9464', 'localhost.evil.example', '[::1']) {
        expect(status(host, local), `${host} on ${local}`).toBe(421);
      }
    }
    // No Host at all: not a browser, so not a rebinding attack.
    expect(status(undefined, '10.1.2.3')).toBe(200);
  });

  test('allowedHosts adds names; "*" accepts any', () => {
    const listed = dashboard(new Map(), { allowedHosts: ['Levee.Internal', '::2', '10.9.9.9'] });
    const any = dashboard(new Map(), { allowedHosts: ['*'] });
    const status = (handler: DashboardHandler, host: string, local = '10.1.2.3'): number => {
      const x = exchange('/', { host, local });
      handler(x.req, x.res);
      return x.res.statusCode;
    };
    expect(status(listed, 'levee.internal:8443')).toBe(200);
    expect(status(listed, 'LEVEE.INTERNAL.')).toBe(200);
    expect(status(listed, '[::2]:1')).toBe(200);
    expect(status(listed, '10.9.9.9')).toBe(200);
    expect(status(listed, '10.1.2.3')).toBe(200);
    expect(status(listed, 'other.internal')).toBe(421);
    expect(status(any, 'anything.example')).toBe(200);
  });

  test('over node:http: 421 with no data for a foreign Host, on every route it owns', async () => {
    const handler = dashboard(fourStates(), { path: '/levee' });
    const base = await listen(createServer(handler));
    const { port } = new URL(base);
    for (const host of ['evil.example', `evil.example:${port}`, 'levee.internal']) {
      for (const path of ['/levee', '/levee/', '/levee/events', '/levee/snapshot.json']) {
        const res = await httpRequest(base + path, 'GET', { host });
        expect(res.status, `${host} ${path}`).toBe(421);
        expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(res.body).toMatch(/^Misdirected Request/);
        expect(res.body).not.toMatch(/closed|THROTTLED/);
      }
    }
    expect(handler.clients).toBe(0);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`]) {
      const res = await httpRequest(`${base}/levee/snapshot.json`, 'GET', { host });
      expect(res.status, host).toBe(200);
    }
    // Paths that are not the dashboard's are not its business.
    expect((await httpRequest(`${base}/other`, 'GET', { host: 'evil.example' })).status).toBe(404);
  });

  test('express: a foreign Host gets 421 on the dashboard, other paths still fall through', async () => {
    const handler = dashboard(fourStates());
    const app = express();
    app.use('/levee', handler);
    app.use((_req, res) => {
      res.status(418).send('fell through');
    });
    const base = await listen(createServer(app));
    expect((await httpRequest(`${base}/levee/`, 'GET', { host: 'evil.example' })).status).toBe(421);
    expect((await httpRequest(`${base}/levee/x`, 'GET', { host: 'evil.example' })).status).toBe(
      418,
    );
    expect((await httpRequest(`${base}/levee/`)).status).toBe(200);
  });
});

describe('createDashboardHandler over node:http', () => {
  test('serves the page, a JSON snapshot, 404, 405 and HEAD', async () => {
    const handler = dashboard(fourStates(), { path: '/levee/', title: 'Ops <b>&</b>' });
    const base = await listen(createServer(handler));

    for (const path of ['/levee', '/levee/', '/levee/?x=1']) {
      const page = await httpRequest(base + path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<title>Ops &lt;b&gt;&amp;&lt;/b&gt;</title>');
      expect(page.body).not.toMatch(
        /<script[^>]+src=|<link[^>]+stylesheet|(src|href|url)[=(]["']?(https?:)?\/\//,
      );
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).toMatch(/connect-src 'self'/);
    }

    const json = await httpRequest(`${base}/levee/snapshot.json`);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const payload = JSON.parse(json.body) as DashboardPayload;
    expect(payload.instances.map((i) => i.state)).toEqual([
      'CLOSED',
      'THROTTLED',
      'OPEN',
      'HALF_OPEN',
    ]);

    expect((await httpRequest(`${base}/`)).status).toBe(404);
    expect((await httpRequest(`${base}/leveex`)).status).toBe(404);
    expect((await httpRequest(`${base}/levee/nope`)).status).toBe(404);
    const post = await httpRequest(`${base}/levee/`, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await httpRequest(`${base}/levee/`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const headEvents = await httpRequest(`${base}/levee/events`, 'HEAD');
    expect(headEvents.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(handler.clients).toBe(0);
  });

  test('SSE: pushes snapshots every tick to every connected client', async () => {
    const levees = new Map([['db', new Levee(SLO_99)]]);
    const handler = dashboard(levees, { intervalMs: 40 });
    const base = await listen(createServer(handler));
    expect(handler.ticking).toBe(true); // sampling from creation on

    const a = await sse(`${base}/events`);
    cleanup.push(() => a.close());
    expect(a.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(a.response.headers['cache-control']).toContain('no-cache');
    // The first message comes at once, then one per tick.
    const first = await a.next(1);
    expect(first.instances).toEqual([expect.objectContaining({ key: 'db', state: 'CLOSED' })]);
    expect(handler.clients).toBe(1);
    expect(handler.ticking).toBe(true);

    toThrottled(levees.get('db')!);
    levees.set('cache', new Levee(SLO_99));
    const later = await a.next(a.messages.length + 1);
    expect(later.instances.map((i) => [i.key, i.state])).toEqual([
      ['db', 'THROTTLED'],
      ['cache', 'CLOSED'],
    ]);

    const b = await sse(`${base}/events`);
    cleanup.push(() => b.close());
    await b.next(2);
    expect(handler.clients).toBe(2);

    a.close();
    await until(() => handler.clients === 1);
    const seen = b.messages.length;
    await b.next(seen + 1);

    b.close();
    await until(() => handler.clients === 0);
    expect(handler.ticking).toBe(true); // still sampling for the next page

    // A new client starts with the history recorded meanwhile.
    const c = await sse(`${base}/events`);
    cleanup.push(() => c.close());
    const history = (await c.next(1)).history;
    expect(history?.map((h) => h.key)).toEqual(['db', 'cache']);
    expect(history?.[0]?.points.length).toBeGreaterThanOrEqual(2);
    await c.next(2);
    expect(c.messages[1]?.history).toBeUndefined(); // only the first message carries it
    c.close();
    await until(() => handler.clients === 0);
  });

  test('close() ends every stream, stops the timer, and refuses new streams', async () => {
    const handler = dashboard(new Map([['db', new Levee(SLO_99)]]), { intervalMs: 30 });
    const base = await listen(createServer(handler));
    const a = await sse(`${base}/events`);
    const b = await sse(`${base}/events`);
    await Promise.all([a.next(1), b.next(1)]);
    expect(handler.clients).toBe(2);
    handler.close();
    handler[Symbol.dispose]();
    await Promise.all([a.ended, b.ended]);
    expect(handler.clients).toBe(0);
    expect(handler.ticking).toBe(false);
    const refused = await httpRequest(`${base}/events`);
    expect(refused.status).toBe(503);
    // The page is still served.
    expect((await httpRequest(`${base}/`)).status).toBe(200);
  });

  test('follows a LeveeRegistry', async () => {
    const levees = new LeveeRegistry({ slo: SLO_99, clock: () => 0 });
    levees.get('a');
    const handler = dashboard(levees, { intervalMs: 30 });
    const base = await listen(createServer(handler));
    const client = await sse(`${base}/events`);
    cleanup.push(() => client.close());
    expect((await client.next(1)).instances.map((i) => i.key)).toEqual(['a']);
    levees.get('b');
    levees.delete('a');
    await until(
      () =>
        client.messages
          .at(-1)
          ?.instances.map((i) => i.key)
          .join() === 'b',
    );
  });

  test('rejects bad options, naming the option and the value', () => {
    expect(() => createDashboardHandler(new Map(), { path: 'levee' })).toThrow(
      /createDashboardHandler: options.path must be a string starting with '\/', got "levee"/,
    );
    expect(() => createDashboardHandler(new Map(), { intervalMs: 0 })).toThrow(
      /createDashboardHandler: options.intervalMs must be a finite number ≥ 10, got 0/,
    );
    expect(() => createDashboardHandler(null as never)).toThrow(TypeError);
    expect(() =>
      createDashboardHandler(new Map(), { allowedHosts: 'levee.internal' as never }),
    ).toThrow(/options.allowedHosts must be an array of host names, got "levee.internal"/);
    for (const bad of ['levee.internal:8080', '[::1]:9464', '', 'a/b', 7]) {
      expect(() => createDashboardHandler(new Map(), { allowedHosts: [bad as string] })).toThrow(
        /options.allowedHosts entries must be host names without a port/,
      );
    }
  });
});

describe('createDashboardHandler in frameworks', () => {
  test('express: app.use(mount, handler), unknown paths fall through to next()', async () => {
    const handler = dashboard(fourStates(), { intervalMs: 30 });
    const app = express();
    app.use('/levee', handler);
    app.use((_req, res) => {
      res.status(418).send('fell through');
    });
    const base = await listen(createServer(app));
    const page = await httpRequest(`${base}/levee/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<main id="grid">');
    const other = await httpRequest(`${base}/levee/other`);
    expect(other.status).toBe(418);
    const client = await sse(`${base}/levee/events`);
    cleanup.push(() => client.close());
    expect((await client.next(2)).instances).toHaveLength(4);
  });

  test('fastify: reply.hijack() and the raw objects', async () => {
    const handler = dashboard(fourStates(), { path: '/levee', intervalMs: 30 });
    const app = Fastify();
    cleanup.push(() => app.close());
    const route = (request: FastifyRequest, reply: FastifyReply): void => {
      reply.hijack();
      handler(request.raw, reply.raw);
    };
    app.get('/levee', route);
    app.get('/levee/*', route);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    expect((await httpRequest(`${base}/levee/`)).status).toBe(200);
    const json = JSON.parse((await httpRequest(`${base}/levee/snapshot.json`)).body);
    expect(json.instances).toHaveLength(4);
    const client = await sse(`${base}/levee/events`);
    cleanup.push(() => client.close());
    await client.next(2);
    client.close();
    await until(() => handler.clients === 0);
    app.server.closeAllConnections();
  });
});

// ---------------------------------------------------------------------------
// The page in a real browser.
// ---------------------------------------------------------------------------

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is required in CI for the dashboard browser test`);
}
if (!hasChromium) {
  console.warn(
    `[dashboard.test] skipping the browser test: ${CHROMIUM} not found (apt-get install chromium); it is mandatory in CI`,
  );
}

describe.skipIf(!hasChromium)('the dashboard page in headless Chromium', () => {
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('shows every instance, live, with no console errors', async () => {
    const levees = fourStates();
    const live = new Levee(SLO_99);
    levees.set('live <svc>', live);
    const handler = dashboard(levees, { path: '/levee', intervalMs: 150, title: 'Levee test' });
    const base = await listen(createServer(handler));

    const context = await browser.newContext();
    cleanup.push(() => context.close());
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('requestfailed', (req) => {
      // The SSE stream is cut when the page closes; anything else is a problem.
      if (!req.url().endsWith('/events')) problems.push(`request failed: ${req.url()}`);
    });
    const requested: string[] = [];
    page.on('request', (req) => requested.push(new URL(req.url()).pathname));

    await page.goto(`${base}/levee`);
    expect(await page.title()).toBe('Levee test');

    const card = (key: string) => page.locator(`section.card[data-key="${key}"]`);
    await card('half_open').waitFor({ timeout: 5000 });
    expect(await page.locator('section.card').count()).toBe(5);
    for (const [key, state] of [
      ['closed', 'CLOSED'],
      ['throttled', 'THROTTLED'],
      ['open', 'OPEN'],
      ['half_open', 'HALF_OPEN'],
      ['live <svc>', 'CLOSED'],
    ] as const) {
      const badge = card(key).locator('.badge');
      expect(await badge.textContent()).toBe(state);
      expect(await badge.getAttribute('data-state')).toBe(state);
    }
    // The key is text, not markup.
    expect(await card('live <svc>').locator('h2').textContent()).toBe('live <svc>');
    // Badge colours differ per state.
    const colour = (key: string) =>
      card(key)
        .locator('.badge')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    const colours = new Set(
      await Promise.all(['closed', 'throttled', 'open', 'half_open'].map(colour)),
    );
    expect(colours.size).toBe(4);

    // Concurrency bar: inflight against the limit while capped.
    expect(await card('half_open').locator('.row').first().locator('.val').textContent()).toBe(
      '1 inflight / limit 1',
    );
    expect(await card('closed').locator('.row').first().locator('.val').textContent()).toMatch(
      /^3 inflight · no limit/,
    );
    // Error bar with the budget marker.
    const errRow = card('throttled').locator('.row').nth(1);
    expect(await errRow.locator('.val').textContent()).toContain('budget 1.00%');
    const markerLeft = await errRow
      .locator('.marker')
      .evaluate((el) => (el as HTMLElement).style.left);
    expect(Number.parseFloat(markerLeft)).toBeCloseTo(1, 1); // 1 % budget on a 0–100 % scale
    const fillWidth = await errRow
      .locator('.fill')
      .evaluate((el) => (el as HTMLElement).style.width);
    expect(Number.parseFloat(fillWidth)).toBe(100);

    // Live update: a state change made now shows up within a couple of ticks.
    const changedAt = Date.now();
    toThrottled(live);
    await page.waitForFunction(
      () =>
        document.querySelector('section.card[data-key="live <svc>"] .badge')?.textContent ===
        'THROTTLED',
      undefined,
      { timeout: 3000, polling: 20 },
    );
    expect(Date.now() - changedAt).toBeLessThan(2000);

    // The sparkline has accumulated points.
    await page.waitForFunction(
      () => {
        const err = document.querySelector('section.card[data-key="live <svc>"] svg.spark .err');
        return (err?.getAttribute('points') ?? '').split(' ').length >= 3;
      },
      undefined,
      { timeout: 3000 },
    );
    expect(await page.locator('#status').getAttribute('class')).toBe('live');

    // An evicted instance disappears.
    levees.delete('closed');
    await card('closed').waitFor({ state: 'detached', timeout: 3000 });

    expect(problems).toEqual([]);
    // Offline: the page fetched nothing but itself and its stream.
    expect(new Set(requested)).toEqual(new Set(['/levee', '/levee/events']));
    expect(handler.clients).toBe(1);
    await page.close();
    await until(() => handler.clients === 0);
  }, 30_000);

  test('starts with the server-side history, shows long keys in full, labels the scale; screenshot', async () => {
    const levees = fourStates();
    const longKey = `GET https://payments.internal.example.com/v2/merchants/{merchantId}/settlements/${'x'.repeat(60)}`;
    levees.set(longKey, levees.get('throttled')!);
    const handler = dashboard(levees, { intervalMs: 100, title: 'Levee history' });
    const base = await listen(createServer(handler));

    // Let the server sample a few ticks before any page is open.
    const warm = await sse(`${base}/events`);
    await warm.next(8);
    warm.close();
    await until(() => handler.clients === 0);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    cleanup.push(() => context.close());
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));
    // What the first render drew, read before any later message can change it:
    // render() sets body[data-updated] last, and the observer runs right after.
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRender?: Record<string, number> };
      new MutationObserver((_records, observer) => {
        if (!document.body?.hasAttribute('data-updated')) return;
        observer.disconnect();
        const out: Record<string, number> = {};
        document.querySelectorAll('section.card').forEach((card) => {
          const pts = card.querySelector('svg.spark .err')?.getAttribute('points') ?? '';
          out[card.getAttribute('data-key') ?? ''] = pts === '' ? 0 : pts.split(' ').length;
        });
        w.__firstRender = out;
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-updated'] });
    });

    await page.goto(`${base}/`);
    await page.waitForFunction(() => '__firstRender' in window, undefined, { timeout: 5000 });
    const firstRender = (await page.evaluate(
      () => (window as unknown as { __firstRender: Record<string, number> }).__firstRender,
    )) as Record<string, number>;
    // 8+ samples were taken before the page opened; without the history the
    // first render would draw a single point.
    for (const key of ['closed', 'throttled', 'open', 'half_open', longKey]) {
      expect(firstRender[key], key).toBeGreaterThanOrEqual(8);
    }

    const card = page
      .locator('section.card')
      .filter({ has: page.locator('h2', { hasText: 'settlements' }) });
    const title = card.locator('h2');
    expect(await title.textContent()).toBe(longKey);
    expect(await title.getAttribute('title')).toBe(longKey);
    const fit = await title.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      height: el.getBoundingClientRect().height,
      line: Number.parseFloat(getComputedStyle(el).lineHeight) || 20,
    }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client); // nothing cut off
    expect(fit.height).toBeGreaterThan(fit.line * 1.5); // wrapped onto more lines
    const badgeBox = await card.locator('.badge').boundingBox();
    const cardBox = await card.boundingBox();
    expect(badgeBox!.x + badgeBox!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width);

    // The sparkline's scale: top and zero of each half.
    const ticks = async (key: string) =>
      page.locator(`section.card[data-key="${key}"] .spark-box`).evaluate((box) => ({
        concMax: box.querySelector('.conc-max')?.textContent,
        concMin: box.querySelector('.conc-min')?.textContent,
        errMax: box.querySelector('.err-max')?.textContent,
        errMin: box.querySelector('.err-min')?.textContent,
      }));
    expect(await ticks('throttled')).toEqual({
      concMax: '2', // limit 1, a tenth of headroom, whole calls
      concMin: '0',
      errMax: '100.0%', // error rate 1
      errMin: '0%',
    });
    expect(await ticks('closed')).toMatchObject({ concMax: '4', errMax: '2.00%' }); // 3 inflight; twice the 1 % budget
    // The error shown is the core's.
    const shown = await page
      .locator('section.card[data-key="throttled"] .row')
      .nth(1)
      .locator('.val')
      .textContent();
    expect(shown).toMatch(/^100\.0% \(lower bound /);
    expect(levees.get('throttled')!.snapshot().errorRate).toBe(1);
    expect(await card.locator('.legend').textContent()).toMatch(/^last 48 s: /); // 480 samples of 100 ms

    const dir = mkdtempSync(join(tmpdir(), 'levee-dashboard-'));
    const shot = join(dir, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    console.info(`[dashboard.test] screenshot: ${shot}`);

    expect(problems).toEqual([]);
    await page.close();
    await until(() => handler.clients === 0);
  }, 30_000);
});
