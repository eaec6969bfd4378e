/**
 * `@leveejs/levee/dashboard`: a live dashboard for Levee instances, in the
 * spirit of Hystrix's. One request handler serves a self-contained HTML page
 * (inline CSS and JS, no CDN, works offline) and a Server-Sent Events stream
 * that pushes every instance's snapshot once per tick (default 1 s).
 *
 * The handler samples every instance once per tick from its creation until
 * `close()` and keeps the last minute (at most {@link MAX_HISTORY_POINTS}
 * points per instance), so a page opened during an incident shows what led
 * to it. The tick timer is `unref()`'d: the dashboard never keeps a process
 * alive.
 *
 * Only requests whose `Host` header names this machine are answered (DNS
 * rebinding): see {@link DashboardOptions.allowedHosts}.
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
 * stream; its first message carries the history), `/snapshot.json` (one
 * payload, e.g. for curl).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Counters, State, Trigger } from '../core/types.js';
import { describe } from '../internal/describe.js';
import { DISPOSE } from '../internal/dispose.js';
import { errorBudget } from './metrics.js';
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
  /** Milliseconds between two samples (and two pushes of the SSE stream). Default 1000. */
  readonly intervalMs?: number;
  /** Page title. Default `'Levee dashboard'`. */
  readonly title?: string;
  /**
   * Host names (without a port) the dashboard answers for, besides the ones
   * it derives from the address each connection arrived at: that address
   * itself, and `localhost`, `127.0.0.1` and `[::1]` when it is a loopback
   * address. A request whose `Host` names anything else gets 421 (a web page
   * that re-points its own DNS name at 127.0.0.1, "DNS rebinding", would
   * otherwise read the dashboard from a developer's browser). List the names
   * you reach the dashboard by, e.g. `['levee.internal']`, or `['*']` to
   * accept any `Host` (only behind a proxy that checks it).
   */
  readonly allowedHosts?: readonly string[];
}

/** The part of a `node:http` `IncomingMessage` the handler reads. */
export interface DashboardRequest {
  readonly url?: string | undefined;
  readonly method?: string | undefined;
  /** `host` (HTTP/1.1) or `:authority` (HTTP/2) is checked against the allowed hosts. */
  readonly headers?:
    | { readonly host?: string | undefined; readonly ':authority'?: string | undefined }
    | undefined;
  /** The address the connection arrived at, from which the default allowed hosts derive. */
  readonly socket?: { readonly localAddress?: string | undefined } | null | undefined;
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
  /** True while the tick timer runs: from creation until {@link DashboardHandler.close}. */
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

/** One sample of an instance in the history. */
export interface DashboardPoint {
  /** Server time of the sample, ms since the epoch. */
  readonly t: number;
  readonly inflight: number;
  /** The enforced limit, or null while uncapped. */
  readonly limit: number | null;
  readonly errorRate: number;
}

/** The recent samples of one instance, oldest first. */
export interface DashboardHistory {
  readonly key: string;
  readonly points: readonly DashboardPoint[];
}

/** The payload of one SSE message (and of `snapshot.json`). */
export interface DashboardPayload {
  /** Server time, ms since the epoch. */
  readonly t: number;
  readonly intervalMs: number;
  /** How many samples the history keeps per instance. */
  readonly historySize: number;
  readonly instances: readonly DashboardInstance[];
  /**
   * The samples taken before this payload, per instance: only in the first
   * message of an SSE stream, so that a page starts with the recent past.
   */
  readonly history?: readonly DashboardHistory[];
  /** Set when reading the source threw. */
  readonly error?: string;
}

/**
 * The most samples kept per instance: 480, two per horizontal unit of the
 * page's 240-unit sparkline (more could not be told apart). With the default
 * 1 s tick the history holds 60 samples (a minute); below 125 ms ticks it
 * holds 480 (less than a minute), which bounds its memory at about
 * 480 × 4 numbers per instance.
 */
export const MAX_HISTORY_POINTS = 480;

/** Samples kept per instance for a tick of `intervalMs`: a minute, at most {@link MAX_HISTORY_POINTS}, at least 2. */
export function historySize(intervalMs: number): number {
  return Math.max(2, Math.min(Math.ceil(60_000 / intervalMs), MAX_HISTORY_POINTS));
}

interface Client {
  readonly res: DashboardResponse;
  /** A write returned false: skip ticks until 'drain'. */
  blocked: boolean;
}

/**
 * Builds one payload from the source; never throws. Every figure is the
 * instance's own snapshot, unchanged (only the budget is written cleanly):
 * the page shows what the core reports.
 */
export function dashboardPayload(source: LeveeSource, intervalMs = 1000): DashboardPayload {
  const t = Date.now();
  const size = historySize(intervalMs);
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
        sloErr: errorBudget(levee.slo.successRate),
        counters: s.counters,
      }),
    );
    return { t, intervalMs, historySize: size, instances };
  } catch (err) {
    return {
      t,
      intervalMs,
      historySize: size,
      instances: [],
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

// ---------------------------------------------------------------------------
// Host check (DNS rebinding)
// ---------------------------------------------------------------------------

/** The names of the loopback interface, as they appear in a `Host` header. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host name of a `Host` header value, lowercased, without the port and a
 * trailing dot, IPv6 literals in brackets; undefined when it is malformed.
 */
export function hostName(value: string): string | undefined {
  let host = value.trim().toLowerCase();
  let port = '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) return undefined;
    port = host.slice(end + 1);
    host = host.slice(0, end + 1);
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      port = host.slice(colon);
      host = host.slice(0, colon);
    }
  }
  if (port !== '' && !/^:\d*$/.test(port)) return undefined;
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || /[\s/\\@?#]/.test(host)) return undefined;
  return host;
}

/** An address of a socket as it would be written in a `Host` header. */
function addressName(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  return address.includes(':') ? `[${address.toLowerCase()}]` : address;
}

function isLoopback(name: string): boolean {
  return name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

function checkAllowedHosts(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    throw new TypeError(
      `createDashboardHandler: options.allowedHosts must be an array of host names, got ${describe(value)}`,
    );
  }
  const out = new Set<string>();
  for (const entry of value as unknown[]) {
    if (entry === '*') {
      out.add('*');
      continue;
    }
    let name: string | undefined;
    if (typeof entry === 'string') {
      let text = entry.trim();
      // A bare IPv6 literal (two or more colons) is written in brackets in a Host header.
      if (!text.startsWith('[') && text.indexOf(':') !== text.lastIndexOf(':')) text = `[${text}]`;
      const hasPort = text.startsWith('[') ? !text.endsWith(']') : text.includes(':');
      name = hasPort ? undefined : hostName(text);
    }
    if (name === undefined) {
      throw new TypeError(
        `createDashboardHandler: options.allowedHosts entries must be host names without a port (or '*'), got ${describe(entry)}`,
      );
    }
    out.add(name);
  }
  return out;
}

/**
 * Whether `req` may be answered: its `Host` names an allowed host, the
 * address the connection arrived at, or (on a loopback connection) a name of
 * the loopback interface. A request without a `Host` comes from no browser
 * (every browser sends one), so DNS rebinding cannot apply: it is answered.
 */
function hostAllowed(req: DashboardRequest, allowed: ReadonlySet<string>): boolean {
  if (allowed.has('*')) return true;
  const headers = req.headers;
  const header = headers?.host ?? headers?.[':authority'];
  if (header === undefined) return true;
  const name = hostName(String(header));
  if (name === undefined) return false;
  if (allowed.has(name)) return true;
  const local = req.socket?.localAddress;
  if (local === undefined) return LOOPBACK_NAMES.includes(name);
  const localName = addressName(local);
  if (name === localName) return true;
  return isLoopback(localName) && LOOPBACK_NAMES.includes(name);
}

function normalizePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(
      `createDashboardHandler: options.path must be a string starting with '/', got ${describe(path)}`,
    );
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
    throw new RangeError(
      `createDashboardHandler: options.intervalMs must be a finite number ≥ 10, got ${describe(intervalMs)}`,
    );
  }
  const allowedHosts = checkAllowedHosts(options.allowedHosts);
  const page = renderPage(options.title ?? 'Levee dashboard');
  const size = historySize(intervalMs);

  const clients = new Set<Client>();
  /** The last `size` samples per key, oldest first; keys the source no longer has are dropped. */
  const history = new Map<string, DashboardPoint[]>();
  let closed = false;

  const record = (payload: DashboardPayload): void => {
    if (payload.error !== undefined) return; // nothing was read: keep what we had
    const seen = new Set<string>();
    for (const s of payload.instances) {
      seen.add(s.key);
      let points = history.get(s.key);
      if (points === undefined) {
        points = [];
        history.set(s.key, points);
      }
      points.push({
        t: payload.t,
        inflight: s.inflight,
        limit: s.capped ? s.limit : null,
        errorRate: s.errorRate,
      });
      if (points.length > size) points.splice(0, points.length - size);
    }
    for (const key of history.keys()) if (!seen.has(key)) history.delete(key);
  };

  const send = (client: Client, chunk: string): void => {
    if (client.blocked) return;
    if (!client.res.write(chunk)) client.blocked = true;
  };

  const tick = (): void => {
    const payload = dashboardPayload(source, intervalMs);
    record(payload);
    if (clients.size === 0) return;
    const chunk = `data: ${JSON.stringify(payload)}\n\n`;
    for (const client of clients) send(client, chunk);
  };

  let timer: ReturnType<typeof setInterval> | undefined = setInterval(tick, intervalMs);
  (timer as { unref?: () => void }).unref?.();

  const drop = (client: Client): void => {
    clients.delete(client);
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
    // The first message: the state now, and the samples taken before it.
    const first: DashboardPayload = {
      ...dashboardPayload(source, intervalMs),
      history: [...history].map(([key, points]) => ({ key, points: points.slice() })),
    };
    send(client, `retry: 2000\n\ndata: ${JSON.stringify(first)}\n\n`);
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
    if (!hostAllowed(req, allowedHosts)) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      plain(
        res,
        421,
        'Misdirected Request: this dashboard does not serve that Host name (see the allowedHosts option)\n',
        method === 'HEAD',
      );
      return;
    }
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
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    history.clear();
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
// dashboard/page.css beside this module, inlined into the HTML and allowed by
// their hashes. They sit beside it both in src/ (tests) and in dist/ (the
// build copies them there: packages/levee/scripts/copy-assets.mjs), so the
// package ships dist/ only.
// ---------------------------------------------------------------------------

const ASSETS = new URL('./dashboard/', import.meta.url);

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
