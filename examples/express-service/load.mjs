/**
 * The load generator of `server.mjs --load`, forked by it: closed-loop HTTP
 * clients through five phases, reporting to the parent over IPC. Stops by
 * itself after the given number of seconds.
 *
 *   node load.mjs <service origin> <seconds>
 */
import http from 'node:http';

const [origin = 'http://127.0.0.1:3000', secondsArg = '20'] = process.argv.slice(2);
const totalMs = Number(secondsArg) * 1000;
const send = (msg) => (process.send ? process.send(msg) : console.log(JSON.stringify(msg)));

/** Phases, by the fraction of the run at which they end. */
const phases = [
  { until: 0.15, mode: 'healthy', clients: 4, path: '/quote', label: 'healthy' },
  { until: 0.35, mode: 'healthy', clients: 128, path: '/orders', label: 'service overloaded' },
  { until: 0.55, mode: 'healthy', clients: 128, path: '/quote', label: 'dependency saturated' },
  { until: 0.75, mode: 'down', clients: 4, path: '/quote', label: 'dependency down' },
  { until: 1, mode: 'healthy', clients: 4, path: '/quote', label: 'recovered' },
];
const t0 = performance.now();
const elapsed = () => performance.now() - t0;
const phaseAt = (t) => phases.find((p) => t < p.until * totalMs) ?? phases.at(-1);

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const tally = {};
const total = {};
const count = (k) => {
  tally[k] = (tally[k] ?? 0) + 1;
  total[k] = (total[k] ?? 0) + 1;
};

const get = (path) =>
  new Promise((resolve) => {
    const req = http.get(`${origin}${path}`, { agent }, (res) => {
      res.resume();
      const source = res.headers['x-source'];
      res.on('end', () => resolve(source ? `${res.statusCode} ${source}` : String(res.statusCode)));
    });
    req.on('error', (err) => resolve(err.code ?? 'error'));
  });

/** Client `id` runs while the current phase has more than `id` clients. */
const clients = new Map();
let stop = false;
const client = async (id) => {
  for (let p = phaseAt(elapsed()); !stop && id < p.clients; p = phaseAt(elapsed())) {
    count(await get(p.path));
  }
  clients.delete(id);
};

let phase;
let second = 0;
const tick = () => {
  const current = phaseAt(elapsed());
  if (current !== phase) {
    phase = current;
    send({ type: 'phase', mode: phase.mode });
  }
  for (let id = 0; id < phase.clients; id++) {
    if (!clients.has(id)) clients.set(id, client(id));
  }
};
tick();
const ticker = setInterval(tick, 50);
const reporter = setInterval(() => {
  second++;
  send({ type: 'tick', second, label: phaseAt(elapsed() - 500).label, tally: { ...tally } });
  for (const k of Object.keys(tally)) delete tally[k];
}, 1000);

await new Promise((resolve) => setTimeout(resolve, totalMs));
stop = true;
clearInterval(ticker);
clearInterval(reporter);
await Promise.all(clients.values());
agent.destroy();
send({ type: 'done', total });
process.disconnect?.();
