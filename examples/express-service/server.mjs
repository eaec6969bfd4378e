#!/usr/bin/env node
/**
 * An Express service protected by Levee on both sides:
 *
 * - outbound: it calls a flaky dependency through `createFetch` (one Levee per
 *   origin; shed calls fail fast with a ShedError, never touching the
 *   network) and serves a fallback when the dependency is shed;
 * - inbound: `shedLoad` sheds its own overload with 503 + Retry-After.
 *
 * The dependency is a second tiny node:http server this script starts on
 * loopback: a pool of 8 workers with random latency and a random failure
 * rate, switchable between modes (healthy, flaky, down, slow).
 *
 *   npm run build
 *   node examples/express-service/server.mjs          # serve until Ctrl-C
 *   node examples/express-service/server.mjs --load   # ~20 s scripted load, then exit
 *
 * Endpoints: GET /quote (calls the dependency), GET /orders (uses a local
 * connection pool), GET /metrics (Prometheus),
 * GET /levee/ (live dashboard), POST /admin/dependency/:mode.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isShedError } from '@leveejs/levee';
import { shedLoad } from '@leveejs/levee/express';
import { createFetch } from '@leveejs/levee/fetch';
import { LeveeRegistry } from '@leveejs/levee/registry';
import express from 'express';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    load: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    quiet: { type: 'boolean', default: false },
  },
});

// ---------------------------------------------------------------------------
// The flaky dependency: 8 workers, FIFO queue, mode-dependent latency/errors.
// ---------------------------------------------------------------------------

const MODES = {
  healthy: { failRate: 0.01, latencyMs: [10, 30] },
  flaky: { failRate: 0.2, latencyMs: [10, 40] },
  down: { failRate: 0.95, latencyMs: [1, 3] },
  slow: { failRate: 0.02, latencyMs: [300, 600] },
};
let mode = 'healthy';
/** Capacity: 4 workers × ~20 ms ≈ 200 requests/s; beyond that requests queue. */
const WORKERS = 4;
let busy = 0;
const queue = [];

function work(res) {
  busy++;
  const { failRate, latencyMs } = MODES[mode];
  const [lo, hi] = latencyMs;
  setTimeout(
    () => {
      busy--;
      if (!res.destroyed) {
        const failed = Math.random() < failRate;
        res.writeHead(failed ? 500 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(failed ? { error: 'boom' } : { price: 100 + Math.random() }));
      }
      const next = queue.shift();
      if (next !== undefined) work(next);
    },
    lo + Math.random() * (hi - lo),
  );
}

const dependency = http.createServer((_req, res) => {
  if (busy < WORKERS) work(res);
  else queue.push(res);
});

// ---------------------------------------------------------------------------
// The service.
// ---------------------------------------------------------------------------

const SLO = { successRate: 0.95, timeoutMs: 1000 };
/** Outbound: one Levee per dependency origin. */
const outbound = new LeveeRegistry({ slo: SLO });
/** Inbound: one Levee per route class (a single class here). */
const inbound = new LeveeRegistry({ slo: { successRate: 0.99, timeoutMs: 2000 } });

const leveeFetch = createFetch({ registry: outbound });
let dependencyOrigin = '';

const app = express();
app.disable('x-powered-by');

// Operational endpoints are mounted before the shedding middleware: they must
// keep answering while the service sheds.
/** Both registries as one source for the metrics and the dashboard. */
const allLevees = function* () {
  for (const [key, levee] of inbound) yield [`inbound ${key}`, levee];
  for (const [key, levee] of outbound) yield [`outbound ${key}`, levee];
};

const closers = [];
await mountObservability(app, allLevees, closers);

app.post('/admin/dependency/:mode', (req, res) => {
  if (!(req.params.mode in MODES)) {
    res.status(400).json({ error: `mode must be one of ${Object.keys(MODES).join(', ')}` });
    return;
  }
  mode = req.params.mode;
  res.json({ mode });
});

// Inbound load shedding for everything below. Only this service's own
// faults (500) count as failures: the 502/503/504 it answers when the
// dependency fails are the outbound Levee's business, and counting them here
// too would shed healthy inbound traffic (and starve the outbound probes)
// during a dependency outage. Overload shows up as latency either way.
app.use(shedLoad({ registry: inbound, isFailure: (status) => status === 500 }));

app.get('/quote', async (_req, res) => {
  try {
    const upstream = await leveeFetch(`${dependencyOrigin}/price`);
    if (!upstream.ok) {
      await upstream.body?.cancel();
      res.status(502).json({ error: `dependency answered ${upstream.status}` });
      return;
    }
    res.set('x-source', 'live').json({ quote: await upstream.json() });
  } catch (err) {
    if (isShedError(err)) {
      // Shed by Levee before anything was sent: answer at once, degraded.
      res
        .set('x-source', 'fallback')
        .json({ quote: { price: 100 }, stale: true, state: err.state });
      return;
    }
    res.status(504).json({ error: err instanceof Error ? err.name : String(err) });
  }
});

/**
 * The service's own bottleneck: a pool of 8 "database connections", ~10 ms
 * per query (≈ 800 queries/s); beyond that, queries wait in line and the
 * service's latency grows with its concurrency: what inbound shedding is for.
 * (A purely CPU-bound handler would not show up here: a blocked event loop
 * delays requests before any middleware sees them; pair Levee with an
 * event-loop-lag guard for that.)
 */
const DB_POOL = 8;
let dbBusy = 0;
const dbQueue = [];
function query() {
  return new Promise((resolve) => {
    const run = () => {
      dbBusy++;
      setTimeout(() => {
        dbBusy--;
        dbQueue.shift()?.();
        resolve({ rows: 3 });
      }, 10);
    };
    if (dbBusy < DB_POOL) run();
    else dbQueue.push(run);
  });
}

app.get('/orders', async (_req, res) => {
  res.set('x-source', 'orders').json(await query());
});

/**
 * Metrics and dashboard from the other integrations, when they are built:
 * `@leveejs/levee/prometheus` (needs prom-client) and `@leveejs/levee/dashboard`.
 */
async function mountObservability(target, source, onClose) {
  try {
    const [{ createPrometheusCollector }, promClient] = await Promise.all([
      import('@leveejs/levee/prometheus'),
      import('prom-client'),
    ]);
    const promRegistry = new promClient.Registry();
    createPrometheusCollector(source, { registry: promRegistry });
    target.get('/metrics', async (_req, res) => {
      res.type(promRegistry.contentType).send(await promRegistry.metrics());
    });
  } catch (err) {
    console.warn(`(metrics disabled: ${err instanceof Error ? err.message : err})`);
  }
  try {
    const { createDashboardHandler } = await import('@leveejs/levee/dashboard');
    const dashboard = createDashboardHandler(source);
    onClose.push(() => dashboard.close());
    target.use('/levee', dashboard);
  } catch (err) {
    console.warn(`(dashboard disabled: ${err instanceof Error ? err.message : err})`);
  }
}

// ---------------------------------------------------------------------------
// Start, and optionally drive a scripted load that stops by itself.
// ---------------------------------------------------------------------------

dependency.listen(0, '127.0.0.1');
await once(dependency, 'listening');
dependencyOrigin = `http://127.0.0.1:${dependency.address().port}`;

const service = http.createServer(app);
service.listen(args.load ? 0 : Number(args.port), '127.0.0.1');
await once(service, 'listening');
const serviceOrigin = `http://127.0.0.1:${service.address().port}`;
console.log(`dependency on ${dependencyOrigin}`);
console.log(`service on    ${serviceOrigin}  (GET /quote, /orders, /metrics, /levee/)`);

async function shutdown() {
  for (const close of closers) close();
  service.closeAllConnections();
  dependency.closeAllConnections();
  await Promise.all([
    new Promise((r) => service.close(r)),
    new Promise((r) => dependency.close(r)),
  ]);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    shutdown().then(() => process.exit(0));
  });
}

if (args.load) {
  await runLoad(Number(args.seconds));
  await shutdown();
}

/**
 * Forks load.mjs (closed-loop clients in a separate process, so they do not
 * compete with the service for its event loop), follows its phases (the
 * dependency's mode), prints one line per second with the Levee states, and
 * a summary when it exits.
 */
async function runLoad(seconds) {
  const fmt = (levee) => {
    if (levee === undefined) return '-';
    const s = levee.snapshot();
    return `${s.state}${s.capped ? ` limit=${s.limit}` : ''} inflight=${s.inflight}`;
  };
  const child = fork(fileURLToPath(new URL('./load.mjs', import.meta.url)), [
    serviceOrigin,
    String(seconds),
  ]);
  let total = {};
  child.on('message', (msg) => {
    if (msg.type === 'phase') mode = msg.mode;
    if (msg.type === 'tick' && !args.quiet) {
      const line = Object.entries(msg.tally)
        .sort()
        .map(([k, v]) => `${k}:${v}`)
        .join(' ');
      console.log(
        `t=${String(msg.second).padStart(2)}s ${msg.label.padEnd(21)} ${line.padEnd(40)} | inbound ${fmt(inbound.peek('default'))} | outbound ${fmt(outbound.peek(dependencyOrigin))}`,
      );
    }
    if (msg.type === 'done') total = msg.total;
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) process.exitCode = 1;
  const summary = Object.entries(total)
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  console.log(`\nresponses: ${summary}`);
  console.log("'200 orders' = /orders answered; '200 live' = the dependency answered;");
  console.log("'200 fallback' = the outbound Levee shed the");
  console.log('call (no network); 503 = the inbound Levee shed the request (with Retry-After);');
  console.log('502 = the dependency answered an error; 504 = it did not answer within the SLO.');
  for (const [key, levee] of allLevees()) {
    const transitions = levee
      .transitionCounts()
      .map((c) => `${c.from}->${c.to} (${c.trigger}) x${c.count}`)
      .join(', ');
    console.log(`${key}: ${JSON.stringify(levee.snapshot().counters)}`);
    if (transitions) console.log(`  transitions: ${transitions}`);
  }
}
