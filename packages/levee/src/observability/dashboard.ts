/**
 * `@leveejs/levee/dashboard`: a live dashboard for Levee instances, in the
 * spirit of Hystrix's. One request handler serves a self-contained HTML page
 * (inline CSS and JS, no CDN, works offline) and a Server-Sent Events stream
 * that pushes every instance's snapshot once per tick (default 1 s).
 *
 * The tick timer runs only while at least one browser is connected, and is
 * `unref()`'d: the dashboard never keeps a process alive.
 *
 * ```ts
 * import { createServer } from 'node:http';
 * import { createDashboardHandler } from '@leveejs/levee/dashboard';
 *
 * const dashboard = createDashboardHandler(registry);
 * createServer(dashboard).listen(9464, '127.0.0.1');
 * // express: app.use('/levee', dashboard)
 * // fastify: app.get('/levee*', (req, reply) => { reply.hijack(); dashboard(req.raw, reply.raw); })
 * //          with createDashboardHandler(registry, { path: '/levee' })
 * ```
 *
 * Routes, relative to the mount path: `/` (the page), `/events` (the SSE
 * stream), `/snapshot.json` (one payload, e.g. for curl).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Counters, State, Trigger } from '../core/types.js';
import { DISPOSE } from '../internal/dispose.js';
import { checkSource, type LeveeSource, readSource } from './source.js';

export type { LeveeSource } from './source.js';

/** Options of {@link createDashboardHandler}. */
export interface DashboardOptions {
  /**
   * Path the dashboard is served under, as seen in `req.url`. Default `'/'`.
   * Leave it at `'/'` when the framework strips the mount path (express's
   * `app.use('/levee', handler)`); set it (e.g. `'/levee'`) with a bare
   * `node:http` server or fastify's `request.raw`.
   */
  readonly path?: string;
  /** Milliseconds between two pushes of the SSE stream. Default 1000. */
  readonly intervalMs?: number;
  /** Page title. Default `'Levee dashboard'`. */
  readonly title?: string;
}

/** The part of a `node:http` `IncomingMessage` the handler reads. */
export interface DashboardRequest {
  readonly url?: string | undefined;
  readonly method?: string | undefined;
}

/** The part of a `node:http` `ServerResponse` the handler uses. */
export interface DashboardResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  flushHeaders?(): void;
}

/**
 * A `(req, res, next?)` handler for `node:http`, express (as middleware) and
 * fastify (`request.raw`, `reply.raw` after `reply.hijack()`).
 */
export interface DashboardHandler {
  (req: DashboardRequest, res: DashboardResponse, next?: (err?: unknown) => void): void;
  /** Connected SSE clients. */
  readonly clients: number;
  /** True while the tick timer runs (at least one SSE client connected). */
  readonly ticking: boolean;
  /** Ends every SSE stream, stops the timer; later stream requests get 503. Idempotent. */
  close(): void;
  /** Same as {@link DashboardHandler.close}, for `using`. */
  [Symbol.dispose](): void;
}

/** One instance in an SSE / `snapshot.json` payload. */
export interface DashboardInstance {
  readonly key: string;
  readonly state: State;
  readonly trigger: Trigger;
  readonly inflight: number;
  readonly capped: boolean;
  readonly limit: number;
  readonly estimatedCapacity: number;
  readonly errorRate: number;
  readonly errorLowerBound: number;
  readonly goodput: number;
  readonly latencyMs: number;
  /** SLO success rate and its error budget (1 − successRate). */
  readonly successRate: number;
  readonly sloErr: number;
  readonly counters: Counters;
}

/** The payload of one SSE message (and of `snapshot.json`). */
export interface DashboardPayload {
  /** Server time, ms since the epoch. */
  readonly t: number;
  readonly intervalMs: number;
  readonly instances: readonly DashboardInstance[];
  /** Set when reading the source threw. */
  readonly error?: string;
}

interface Client {
  readonly res: DashboardResponse;
  /** A write returned false: skip ticks until 'drain'. */
  blocked: boolean;
}

/** Builds one payload from the source; never throws. */
export function dashboardPayload(source: LeveeSource, intervalMs = 1000): DashboardPayload {
  const t = Date.now();
  try {
    const instances = readSource(source).map(
      ({ key, levee, snapshot: s }): DashboardInstance => ({
        key,
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
        sloErr: levee.thresholds.sloErr,
        counters: s.counters,
      }),
    );
    return { t, intervalMs, instances };
  } catch (err) {
    return {
      t,
      intervalMs,
      instances: [],
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

function normalizePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(`path must be a string starting with '/', got ${JSON.stringify(path)}`);
  }
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}

/**
 * Creates the dashboard handler for a source of Levee instances (a
 * `LeveeRegistry`, a `Map`, …), read afresh on every tick.
 */
export function createDashboardHandler(
  source: LeveeSource,
  options: DashboardOptions = {},
): DashboardHandler {
  checkSource(source, 'createDashboardHandler');
  const mount = normalizePath(options.path ?? '/');
  const intervalMs = options.intervalMs ?? 1000;
  if (typeof intervalMs !== 'number' || !(intervalMs >= 10) || !Number.isFinite(intervalMs)) {
    throw new RangeError(`intervalMs must be a finite number ≥ 10, got ${String(intervalMs)}`);
  }
  const page = renderPage(options.title ?? 'Levee dashboard');

  const clients = new Set<Client>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const message = (): string => `data: ${JSON.stringify(dashboardPayload(source, intervalMs))}\n\n`;

  const send = (client: Client, chunk: string): void => {
    if (client.blocked) return;
    if (!client.res.write(chunk)) client.blocked = true;
  };

  const tick = (): void => {
    if (clients.size === 0) return;
    const chunk = message();
    for (const client of clients) send(client, chunk);
  };

  const startTimer = (): void => {
    if (timer !== undefined) return;
    timer = setInterval(tick, intervalMs);
    (timer as { unref?: () => void }).unref?.();
  };

  const stopTimer = (): void => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
  };

  const drop = (client: Client): void => {
    if (!clients.delete(client)) return;
    if (clients.size === 0) stopTimer();
  };

  const stream = (res: DashboardResponse, head: boolean): void => {
    if (closed) {
      plain(res, 503, 'dashboard closed\n', head);
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-store, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    if (head) {
      res.end();
      return;
    }
    res.flushHeaders?.();
    const client: Client = { res, blocked: false };
    clients.add(client);
    res.on('close', () => drop(client));
    res.on('drain', () => {
      client.blocked = false;
    });
    send(client, `retry: 2000\n\n${message()}`);
    startTimer();
  };

  const handler = ((req, res, next) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    let rest: string | undefined;
    if (mount === '/') rest = pathname;
    else if (pathname === mount || pathname.startsWith(`${mount}/`)) {
      rest = pathname.slice(mount.length) || '/';
    }
    const route =
      rest === '/' || rest === ''
        ? 'page'
        : rest === '/events'
          ? 'events'
          : rest === '/snapshot.json'
            ? 'json'
            : undefined;
    if (route === undefined) {
      if (next) next();
      else plain(res, 404, 'not found\n', req.method === 'HEAD');
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      plain(res, 405, 'method not allowed\n', false);
      return;
    }
    const head = method === 'HEAD';
    if (route === 'events') {
      stream(res, head);
    } else if (route === 'json') {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(head ? undefined : JSON.stringify(dashboardPayload(source, intervalMs)));
    } else {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', page.csp);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.end(head ? undefined : page.html);
    }
  }) as DashboardHandler;

  const close = (): void => {
    if (closed) return;
    closed = true;
    stopTimer();
    const all = [...clients];
    clients.clear();
    for (const { res } of all) res.end();
  };

  Object.defineProperties(handler, {
    clients: { get: () => clients.size, enumerable: true },
    ticking: { get: () => timer !== undefined, enumerable: true },
    close: { value: close },
    [DISPOSE]: { value: close },
  });
  return handler;
}

function plain(res: DashboardResponse, status: number, body: string, head: boolean): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(head ? undefined : body);
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

// ---------------------------------------------------------------------------
// The page: its script and style are real files, dashboard/page.js and
// dashboard/page.css beside this module's source, inlined into the HTML and
// allowed by their hashes. The URL below names them both from src/ (tests)
// and from dist/ (the built package): the two folders sit at the same depth
// and the package ships src/.
// ---------------------------------------------------------------------------

const ASSETS = new URL('../../src/observability/dashboard/', import.meta.url);

interface Assets {
  readonly script: string;
  readonly style: string;
}

let assets: Assets | undefined;

/** The page's script and style, read once, on first use. */
function pageAssets(): Assets {
  assets ??= {
    script: readFileSync(new URL('page.js', ASSETS), 'utf8'),
    style: readFileSync(new URL('page.css', ASSETS), 'utf8'),
  };
  return assets;
}

interface Page {
  readonly html: string;
  readonly csp: string;
}

function renderPage(title: string): Page {
  const { script, style } = pageAssets();
  const safeTitle = escapeHtml(String(title));
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeTitle}</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
<header class="top"><h1>${safeTitle}</h1><span id="status">connecting…</span></header>
<div id="error" role="alert"></div>
<div id="empty">No Levee instances yet.</div>
<main id="grid"></main>
<script>${script}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return { html, csp };
}
