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
// The page. Client code is plain ES2017 without template literals, so that
// it can live in this TypeScript template string untouched.
// ---------------------------------------------------------------------------

const STYLE = `
:root{color-scheme:dark;--bg:#0f1216;--card:#181c22;--line:#2a3039;--text:#e6e8eb;--dim:#9aa3ad;
--closed:#2e9d55;--throttled:#e08a1e;--half:#3b82f6;--open:#e0443e;--budget:#f5d142}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header.top{display:flex;gap:16px;align-items:baseline;padding:14px 20px;border-bottom:1px solid var(--line)}
header.top h1{font-size:18px;margin:0;font-weight:600}
#status{color:var(--dim);font-size:12px}
#status.live::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--closed);margin-right:6px}
#status.down::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--open);margin-right:6px}
#error{display:none;margin:12px 20px;padding:8px 12px;border:1px solid var(--open);border-radius:6px;color:var(--open)}
#error.show{display:block}
#empty{color:var(--dim);padding:24px 20px}
#grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px;padding:16px 20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card h2{font-size:15px;margin:0;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:1}
.head{display:flex;align-items:center;gap:8px}
.badge{font-size:11px;font-weight:700;letter-spacing:.04em;padding:2px 8px;border-radius:10px;color:#fff;background:var(--dim)}
.badge[data-state=CLOSED]{background:var(--closed)}
.badge[data-state=THROTTLED]{background:var(--throttled)}
.badge[data-state=HALF_OPEN]{background:var(--half)}
.badge[data-state=OPEN]{background:var(--open)}
.capped{font-size:11px;color:var(--throttled);border:1px solid var(--throttled);border-radius:10px;padding:1px 6px}
.capped[hidden]{display:none}
.sub{color:var(--dim);font-size:12px;margin:2px 0 8px}
.row{display:grid;grid-template-columns:78px 1fr;gap:2px 8px;align-items:center;margin:6px 0}
.row .lbl{color:var(--dim);font-size:12px}
.row .val{grid-column:2;font-size:12px;color:var(--dim);font-variant-numeric:tabular-nums}
.bar{position:relative;height:10px;background:#0b0e11;border:1px solid var(--line);border-radius:5px;overflow:hidden}
.fill{position:absolute;left:0;top:0;bottom:0;width:0;background:var(--closed);transition:width .3s}
.fill.warn{background:var(--throttled)}
.fill.bad{background:var(--open)}
.marker{position:absolute;top:-2px;bottom:-2px;width:2px;background:var(--budget)}
.marker.cap{background:var(--dim)}
.marker[hidden]{display:none}
svg.spark{display:block;width:100%;height:64px;margin-top:8px;background:#0b0e11;border:1px solid var(--line);border-radius:4px}
svg.spark .inflight{fill:rgba(59,130,246,.25);stroke:#3b82f6;stroke-width:1}
svg.spark .limit{fill:none;stroke:var(--throttled);stroke-width:1.2;stroke-dasharray:3 2}
svg.spark .err{fill:none;stroke:var(--open);stroke-width:1.2}
svg.spark .budget{stroke:var(--budget);stroke-width:.8;stroke-dasharray:2 2}
svg.spark .sep{stroke:var(--line);stroke-width:.6}
.legend{font-size:11px;color:var(--dim);margin-top:2px}
dl{display:grid;grid-template-columns:repeat(3,1fr);gap:6px 10px;margin:10px 0 0;font-size:12px}
dt{color:var(--dim);font-size:11px}
dd{margin:0;font-variant-numeric:tabular-nums}
`;

const SCRIPT = `
(function () {
  'use strict';
  var W = 240, H = 64, HALF = 30;
  var base = location.pathname.charAt(location.pathname.length - 1) === '/' ? location.pathname : location.pathname + '/';
  var grid = document.getElementById('grid');
  var empty = document.getElementById('empty');
  var status = document.getElementById('status');
  var errorBox = document.getElementById('error');
  var cards = new Map();
  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, cls, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function svg(tag, cls, parent) {
    var e = document.createElementNS(SVG, tag);
    if (cls) e.setAttribute('class', cls);
    parent.appendChild(e);
    return e;
  }
  function pct(x) {
    if (!(x > 0)) return '0%';
    if (x < 0.001) return (x * 100).toFixed(3) + '%';
    if (x < 0.1) return (x * 100).toFixed(2) + '%';
    return (x * 100).toFixed(1) + '%';
  }
  function num(x, d) {
    if (!isFinite(x)) return '-';
    return x >= 1000 ? Math.round(x).toLocaleString() : x.toFixed(d);
  }
  function row(card, label) {
    var r = el('div', 'row', card);
    el('span', 'lbl', r).textContent = label;
    var bar = el('div', 'bar', r);
    var fill = el('div', 'fill', bar);
    var marker = el('div', 'marker', bar);
    var val = el('span', 'val', r);
    return { fill: fill, marker: marker, val: val };
  }
  function stat(dl, label) {
    var pair = el('div', '', dl);
    el('dt', '', pair).textContent = label;
    return el('dd', '', pair);
  }

  function makeCard(key) {
    var card = el('section', 'card');
    card.setAttribute('data-key', key);
    var head = el('div', 'head', card);
    el('h2', '', head).textContent = key;
    head.lastChild.title = key;
    var capped = el('span', 'capped', head);
    capped.textContent = 'capped';
    var badge = el('span', 'badge', head);
    var sub = el('div', 'sub', card);
    var conc = row(card, 'Concurrency');
    var errs = row(card, 'Error rate');
    var spark = document.createElementNS(SVG, 'svg');
    spark.setAttribute('class', 'spark');
    spark.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    spark.setAttribute('preserveAspectRatio', 'none');
    card.appendChild(spark);
    var c = {
      el: card, badge: badge, capped: capped, sub: sub, conc: conc, errs: errs,
      inflight: svg('polygon', 'inflight', spark),
      limit: svg('polyline', 'limit', spark),
      sep: svg('line', 'sep', spark),
      budget: svg('line', 'budget', spark),
      err: svg('polyline', 'err', spark),
      history: []
    };
    c.sep.setAttribute('x1', '0'); c.sep.setAttribute('x2', String(W));
    c.sep.setAttribute('y1', String(HALF + 2)); c.sep.setAttribute('y2', String(HALF + 2));
    el('div', 'legend', card).textContent = 'last 60 s: inflight (area), limit (dashed); error rate, budget (dotted)';
    var dl = el('dl', '', card);
    c.goodput = stat(dl, 'goodput');
    c.latency = stat(dl, 'latency');
    c.capacity = stat(dl, 'est. capacity');
    c.admitted = stat(dl, 'admitted');
    c.rejected = stat(dl, 'rejected');
    c.failed = stat(dl, 'failed');
    return c;
  }

  function points(values, top, height, max, slots) {
    var step = W / Math.max(slots - 1, 1);
    var start = slots - values.length;
    var out = [];
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v === null) continue;
      var x = (start + i) * step;
      var y = top + height - Math.min(v / max, 1) * height;
      out.push(x.toFixed(1) + ',' + y.toFixed(1));
    }
    return out;
  }

  function drawSpark(c, slots, sloErr) {
    var h = c.history;
    var maxC = 1;
    for (var i = 0; i < h.length; i++) {
      maxC = Math.max(maxC, h[i].inflight, h[i].limit || 0);
    }
    maxC *= 1.1;
    var inflight = points(h.map(function (p) { return p.inflight; }), 2, HALF - 2, maxC, slots);
    if (inflight.length > 0) {
      var first = inflight[0].split(',')[0];
      var last = inflight[inflight.length - 1].split(',')[0];
      inflight.unshift(first + ',' + HALF);
      inflight.push(last + ',' + HALF);
    }
    c.inflight.setAttribute('points', inflight.join(' '));
    c.limit.setAttribute('points', points(h.map(function (p) { return p.limit; }), 2, HALF - 2, maxC, slots).join(' '));
    var maxE = 2 * sloErr;
    for (var j = 0; j < h.length; j++) maxE = Math.max(maxE, h[j].err);
    var top = HALF + 5, height = H - top - 2;
    c.err.setAttribute('points', points(h.map(function (p) { return p.err; }), top, height, maxE, slots).join(' '));
    var by = (top + height - (sloErr / maxE) * height).toFixed(1);
    c.budget.setAttribute('x1', '0'); c.budget.setAttribute('x2', String(W));
    c.budget.setAttribute('y1', by); c.budget.setAttribute('y2', by);
  }

  function update(c, s, slots) {
    c.badge.textContent = s.state;
    c.badge.setAttribute('data-state', s.state);
    c.el.setAttribute('data-state', s.state);
    c.capped.hidden = !(s.capped && s.state === 'CLOSED');
    c.sub.textContent = (s.trigger === 'NONE' ? 'no transition yet' : 'last trigger: ' + s.trigger) +
      ' \\u00b7 SLO ' + pct(s.successRate);

    var scale, fill;
    if (s.capped) {
      scale = Math.max(s.limit, 1);
      fill = s.inflight / scale;
      c.conc.marker.hidden = true;
      c.conc.val.textContent = s.inflight + ' inflight / limit ' + s.limit;
    } else {
      scale = Math.max(s.estimatedCapacity * 1.5, s.inflight, 1);
      fill = s.inflight / scale;
      c.conc.marker.hidden = !(s.estimatedCapacity > 0);
      c.conc.marker.className = 'marker cap';
      c.conc.marker.style.left = (Math.min(s.estimatedCapacity / scale, 1) * 100).toFixed(1) + '%';
      c.conc.val.textContent = s.inflight + ' inflight \\u00b7 no limit (est. capacity ' + num(s.estimatedCapacity, 1) + ')';
    }
    c.conc.fill.style.width = (Math.min(fill, 1) * 100).toFixed(1) + '%';
    c.conc.fill.className = 'fill' + (s.capped && s.inflight >= s.limit ? ' bad' : s.capped ? ' warn' : '');

    var emax = Math.max(2 * s.sloErr, s.errorRate, s.errorLowerBound);
    c.errs.fill.style.width = (Math.min(s.errorRate / emax, 1) * 100).toFixed(1) + '%';
    c.errs.fill.className = 'fill' + (s.errorLowerBound > s.sloErr ? ' bad' : s.errorRate > s.sloErr ? ' warn' : '');
    c.errs.marker.hidden = false;
    c.errs.marker.style.left = ((s.sloErr / emax) * 100).toFixed(1) + '%';
    c.errs.marker.title = 'error budget ' + pct(s.sloErr);
    c.errs.val.textContent = pct(s.errorRate) + ' (lower bound ' + pct(s.errorLowerBound) + ') \\u00b7 budget ' + pct(s.sloErr);

    c.goodput.textContent = num(s.goodput, 1) + '/s';
    c.latency.textContent = num(s.latencyMs, 1) + ' ms';
    c.capacity.textContent = num(s.estimatedCapacity, 1);
    c.admitted.textContent = String(s.counters.admitted);
    c.rejected.textContent = String(s.counters.rejected);
    c.failed.textContent = String(s.counters.failed);

    c.history.push({ inflight: s.inflight, limit: s.capped ? s.limit : null, err: s.errorRate });
    while (c.history.length > slots) c.history.shift();
    drawSpark(c, slots, s.sloErr);
  }

  function render(payload) {
    var slots = Math.max(2, Math.ceil(60000 / payload.intervalMs));
    var seen = new Set();
    for (var i = 0; i < payload.instances.length; i++) {
      var s = payload.instances[i];
      seen.add(s.key);
      var c = cards.get(s.key);
      if (!c) {
        c = makeCard(s.key);
        cards.set(s.key, c);
        grid.appendChild(c.el);
      }
      update(c, s, slots);
    }
    cards.forEach(function (c, key) {
      if (!seen.has(key)) {
        c.el.remove();
        cards.delete(key);
      }
    });
    empty.hidden = cards.size > 0;
    errorBox.textContent = payload.error ? 'Reading the instances failed: ' + payload.error : '';
    errorBox.className = payload.error ? 'show' : '';
    status.textContent = 'live \\u00b7 ' + cards.size + (cards.size === 1 ? ' instance' : ' instances') +
      ' \\u00b7 ' + new Date(payload.t).toLocaleTimeString();
    status.className = 'live';
    document.body.setAttribute('data-updated', String(payload.t));
  }

  var source = new EventSource(base + 'events');
  source.onmessage = function (ev) { render(JSON.parse(ev.data)); };
  source.onerror = function () {
    status.textContent = source.readyState === 2 ? 'disconnected' : 'reconnecting\\u2026';
    status.className = 'down';
  };
})();
`;

interface Page {
  readonly html: string;
  readonly csp: string;
}

function renderPage(title: string): Page {
  const safeTitle = escapeHtml(String(title));
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeTitle}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>${safeTitle}</h1><span id="status">connecting…</span></header>
<div id="error" role="alert"></div>
<div id="empty">No Levee instances yet.</div>
<main id="grid"></main>
<script>${SCRIPT}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return { html, csp };
}
