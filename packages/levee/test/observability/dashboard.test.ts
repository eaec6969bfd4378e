import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Levee } from '../../src/index.js';
import {
  createDashboardHandler,
  type DashboardHandler,
  type DashboardPayload,
  dashboardPayload,
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
      sloErr: levees.get('closed')!.thresholds.sloErr,
      counters: { admitted: 63, succeeded: 60 },
    });
    expect(p.instances[1]).toMatchObject({ capped: true, limit: 1, errorRate: 1 });
  });

  test('a throwing source gives an error message, not an exception', () => {
    const p = dashboardPayload(() => {
      throw new Error('boom');
    });
    expect(p).toMatchObject({ instances: [], error: 'boom' });
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
    expect(handler.ticking).toBe(false);
  });

  test('SSE: pushes snapshots every tick; the timer runs only while a client is connected', async () => {
    const levees = new Map([['db', new Levee(SLO_99)]]);
    const handler = dashboard(levees, { intervalMs: 40 });
    const base = await listen(createServer(handler));
    expect(handler.ticking).toBe(false);

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
    expect(handler.ticking).toBe(true);
    const seen = b.messages.length;
    await b.next(seen + 1);

    b.close();
    await until(() => handler.clients === 0);
    expect(handler.ticking).toBe(false);

    // And it starts again for a new client.
    const c = await sse(`${base}/events`);
    cleanup.push(() => c.close());
    await c.next(2);
    expect(handler.ticking).toBe(true);
    c.close();
    await until(() => !handler.ticking);
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

  test('rejects bad options', () => {
    expect(() => createDashboardHandler(new Map(), { path: 'levee' })).toThrow(TypeError);
    expect(() => createDashboardHandler(new Map(), { intervalMs: 0 })).toThrow(RangeError);
    expect(() => createDashboardHandler(null as never)).toThrow(TypeError);
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
    expect(handler.ticking).toBe(false);
  }, 30_000);
});
