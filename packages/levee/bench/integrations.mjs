#!/usr/bin/env node
/**
 * Per-request overhead of the integrations, each against the same request
 * without Levee:
 *
 *   npm run bench:integrations            # from the repository root (builds first)
 *   node packages/levee/bench/integrations.mjs [--requests 20000] [--time 1000]
 *
 * Loopback pairs (127.0.0.1, keep-alive, one request at a time) are measured
 * by paired alternation: baseline and Levee requests alternate (order flipped
 * every pair) so both see the same machine noise; the table shows the median
 * latency of each side, their ratio, and the median of the paired
 * differences. The in-process rows (tinybench, `--time` ms per task) isolate
 * the wrappers' own cost.
 */
import { once } from 'node:events';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { shedLoad as expressShedLoad } from '@leveejs/levee/express';
import levee from '@leveejs/levee/fastify';
import { createFetch } from '@leveejs/levee/fetch';
import { createGate, shedLoad } from '@leveejs/levee/http';
import { leveeInterceptor } from '@leveejs/levee/undici';
import express from 'express';
import Fastify from 'fastify';
import { Bench } from 'tinybench';
import { Agent, request } from 'undici';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    time: { type: 'string', default: '1000' },
  },
});
const REQUESTS = Number(args.requests);
const TIME = Number(args.time);
const SLO = { successRate: 0.99, timeoutMs: 1000 };

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${server.address().port}`;
}

const hello = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  res.end('ok');
};

// --- servers ---------------------------------------------------------------
const servers = [];
const start = async (server) => {
  servers.push(server);
  return listen(server);
};

const rawOrigin = await start(http.createServer(hello));
const httpOrigin = await start(http.createServer(shedLoad({ slo: SLO })(hello)));

const expressPlain = express();
expressPlain.get('/', (_req, res) => res.send('ok'));
const expressPlainOrigin = await start(http.createServer(expressPlain));
const expressLevee = express();
expressLevee.use(expressShedLoad({ slo: SLO }));
expressLevee.get('/', (_req, res) => res.send('ok'));
const expressLeveeOrigin = await start(http.createServer(expressLevee));

const fastifies = [];
async function fastifyApp(withLevee) {
  const app = Fastify();
  fastifies.push(app);
  if (withLevee) await app.register(levee, { slo: SLO });
  app.get('/', async () => 'ok');
  return app.listen({ port: 0, host: '127.0.0.1' });
}
const fastifyPlainOrigin = await fastifyApp(false);
const fastifyLeveeOrigin = await fastifyApp(true);

// --- clients ---------------------------------------------------------------
const agent = new Agent({ keepAliveTimeout: 60_000 });
const undiciAgents = [
  new Agent({ keepAliveTimeout: 60_000 }),
  new Agent({ keepAliveTimeout: 60_000 }),
];
// Both sides composed, so the row isolates Levee from undici's compose() machinery.
const passThrough = (dispatch) => (opts, handler) => dispatch(opts, handler);
const plainComposed = undiciAgents[0].compose(passThrough);
const leveeComposed = undiciAgents[1].compose(leveeInterceptor({ slo: SLO }));
const get = async (origin, dispatcher = agent) => {
  const res = await request(`${origin}/`, { dispatcher });
  await res.body.text();
};
const leveeFetch = createFetch({ slo: SLO });
const fetchText = async (f) => {
  const res = await f(`${rawOrigin}/`);
  await res.text();
};

// In-process: a fetch that answers at once, and a bare gate.
const canned = () => Promise.resolve(new Response('ok'));
const cannedLevee = createFetch({ slo: SLO, fetch: canned });
const gate = createGate({ slo: SLO });
const fakeReq = {};

const loopback = [
  {
    name: 'fetch (global fetch → node:http)',
    baseline: () => fetchText(globalThis.fetch),
    levee: () => fetchText(leveeFetch),
  },
  {
    name: 'undici request (pass-through vs levee interceptor)',
    baseline: () => get(rawOrigin, plainComposed),
    levee: () => get(rawOrigin, leveeComposed),
  },
  {
    name: 'node:http server (shedLoad wrapper)',
    baseline: () => get(rawOrigin),
    levee: () => get(httpOrigin),
  },
  {
    name: 'express 5 app (shedLoad middleware)',
    baseline: () => get(expressPlainOrigin),
    levee: () => get(expressLeveeOrigin),
  },
  {
    name: 'fastify 5 app (levee plugin)',
    baseline: () => get(fastifyPlainOrigin),
    levee: () => get(fastifyLeveeOrigin),
  },
];

const inProcess = [
  {
    name: 'in-process: createFetch around an instant fetch',
    baseline: () => canned().then((r) => r.text()),
    levee: () => cannedLevee('http://dependency.invalid/').then((r) => r.text()),
  },
  {
    name: 'in-process: gate.acquire() + ticket.finish(200)',
    noRatio: true, // against an empty function: only the added µs mean something
    baseline: () => {},
    levee: () => {
      const t = gate.acquire(fakeReq);
      if (t.admitted) t.finish(200);
    },
  },
];

const median = (xs) => {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const rows = [];

for (const pair of loopback) {
  for (let i = 0; i < 1000; i++) {
    await pair.baseline();
    await pair.levee();
  }
  const base = new Float64Array(REQUESTS);
  const withLevee = new Float64Array(REQUESTS);
  const diff = new Float64Array(REQUESTS);
  for (let i = 0; i < REQUESTS; i++) {
    const first = i % 2 === 0 ? 'baseline' : 'levee';
    const second = first === 'baseline' ? 'levee' : 'baseline';
    const t0 = performance.now();
    await pair[first]();
    const t1 = performance.now();
    await pair[second]();
    const t2 = performance.now();
    const [b, l] = first === 'baseline' ? [t1 - t0, t2 - t1] : [t2 - t1, t1 - t0];
    base[i] = b * 1000;
    withLevee[i] = l * 1000;
    diff[i] = (l - b) * 1000;
  }
  const b = median(base);
  const l = median(withLevee);
  rows.push({
    scenario: pair.name,
    'baseline µs': b.toFixed(1),
    'with Levee µs': l.toFixed(1),
    'added µs': median(diff).toFixed(1),
    ratio: (l / b).toFixed(3),
  });
  console.error(`done: ${pair.name}`);
}

for (const pair of inProcess) {
  const bench = new Bench({ time: TIME, warmupTime: Math.min(TIME, 200) });
  bench.add('baseline', pair.baseline);
  bench.add('levee', pair.levee);
  await bench.run();
  const [b, l] = bench.tasks.map((task) => {
    if (task.result.state !== 'completed') throw new Error(`${pair.name}: ${task.result.state}`);
    return task.result.latency.p50 * 1000;
  });
  rows.push({
    scenario: pair.name,
    'baseline µs': b.toFixed(2),
    'with Levee µs': l.toFixed(2),
    'added µs': (l - b).toFixed(2),
    ratio: pair.noRatio ? 'n/a' : (l / b).toFixed(3),
  });
  console.error(`done: ${pair.name}`);
}

console.log(
  `\nNode ${process.version}; loopback: ${REQUESTS} alternating pairs, median latency per request; in-process: tinybench p50\n`,
);
console.table(rows);

await agent.close();
for (const a of undiciAgents) await a.close();
for (const app of fastifies) await app.close();
for (const server of servers) {
  server.closeAllConnections();
  server.close();
}
