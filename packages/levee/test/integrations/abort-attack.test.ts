/**
 * The abort attack of issue #12 on real sockets: 200 legitimate requests per
 * second share a server with 100 per second from a client that hangs up 5 ms
 * after sending each one. The server has spare capacity (at most two requests
 * in flight, 1 ms of service each), so a correct limiter sheds nothing.
 *
 * Levee runs on a virtual clock that the test (and the handler, for the
 * service time) advances, and the requests are sent one at a time in a fixed
 * order, so every run makes the same decisions: the only real things are the
 * sockets and the hang-ups. One virtual round of 10 ms:
 *
 *   t=0 attacker sends (held by the handler) · t=3 legitimate #1 (1 ms) ·
 *   t=5 the attacker hangs up · t=7 legitimate #2 (1 ms) · t=10 next round.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { SLO } from '../../src/index.js';
import { shedLoad as expressShedLoad } from '../../src/integrations/express.js';
import fastifyLevee from '../../src/integrations/fastify.js';
import { DEFAULT_KEY, shedLoad as httpShedLoad } from '../../src/integrations/http.js';
import { LeveeRegistry } from '../../src/registry.js';
import { deferred, listen, rawRequest, useLoopbackClient, virtualClock } from './net.js';

const SLO_99: SLO = { successRate: 0.99, timeoutMs: 1000 };
/** 300 rounds: 3 s of virtual time, 600 legitimate and 300 aborted requests. */
const ROUNDS = 300;

const get = useLoopbackClient();

type Clock = ReturnType<typeof virtualClock>;

/** What the app's handler reports to the attack driver. */
class Probe {
  #arrival: ((held: { closed: Promise<void> }) => void) | undefined;
  constructor(readonly clock: Clock) {}

  /** The attacker's request reached the handler: hold it until the client hangs up. */
  attack(res: ServerResponse): void {
    const closed = deferred();
    res.once('close', () => closed.resolve());
    this.#arrival?.({ closed: closed.promise });
    this.#arrival = undefined;
  }

  /** A legitimate request: 1 ms of service, then 200. */
  legit(): void {
    this.clock.advance(1);
  }

  /** Resolves when the next attack request reaches the handler (replaces any earlier wait). */
  nextAttack(): Promise<{ closed: Promise<void> }> {
    return new Promise((resolve) => {
      this.#arrival = resolve;
    });
  }
}

interface Result {
  readonly legit: number;
  readonly legitShed: number;
  readonly attacks: number;
  readonly attacksAdmitted: number;
}

async function runAttack(origin: string, probe: Probe): Promise<Result> {
  const { clock } = probe;
  let legitShed = 0;
  let attacksAdmitted = 0;
  const legit = async (): Promise<void> => {
    const res = await get(origin, '/work');
    if (res.status === 503) legitShed++;
    else expect(res.status).toBe(200);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const arrival = probe.nextAttack();
    const attacker = rawRequest(origin, '/attack');
    const first = await Promise.race([
      arrival,
      attacker.response.then(
        () => ({ closed: undefined }),
        () => ({ closed: undefined }),
      ) as Promise<{ closed: Promise<void> | undefined }>,
    ]);
    if (first.closed !== undefined) attacksAdmitted++;
    clock.advance(3);
    await legit();
    clock.advance(1);
    attacker.destroy();
    await first.closed; // the server has seen the hang-up
    clock.advance(2);
    await legit();
    clock.advance(2);
  }
  return { legit: 2 * ROUNDS, legitShed, attacks: ROUNDS, attacksAdmitted };
}

type Framework = 'http' | 'express' | 'fastify';

interface Started {
  readonly origin: string;
  close(): Promise<void>;
}

async function start(
  framework: Framework,
  registry: LeveeRegistry,
  probe: Probe,
  clientAbort?: 'cancel' | 'failure',
): Promise<Started> {
  const extra = clientAbort === undefined ? {} : { clientAbort };
  const handle = (url: string | undefined, res: ServerResponse): void => {
    if (url === '/attack') {
      probe.attack(res);
      return;
    }
    probe.legit();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  };
  if (framework === 'http') {
    const shed = httpShedLoad({ registry, ...extra });
    return listen(shed((req: IncomingMessage, res: ServerResponse) => handle(req.url, res)));
  }
  if (framework === 'express') {
    const app = express();
    app.use(expressShedLoad({ registry, ...extra }));
    app.use((req, res) => handle(req.url, res));
    return listen(http.createServer(app));
  }
  const app = Fastify({ forceCloseConnections: true });
  await app.register(fastifyLevee, { registry, ...extra });
  app.get('/attack', (_request, reply) => {
    probe.attack(reply.raw); // never answered: the client hangs up
  });
  app.get('/work', async () => {
    probe.legit();
    return 'ok\n';
  });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { origin, close: () => app.close() };
}

describe('the abort attack (#12): clients that hang up are not dependency failures', () => {
  let server: Started | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const framework of ['http', 'express', 'fastify'] as const) {
    it(`${framework}: sheds < 1 % of the legitimate requests; hang-ups count as cancels`, async () => {
      const clock = virtualClock();
      const registry = new LeveeRegistry({ slo: SLO_99, clock: clock.now });
      const probe = new Probe(clock);
      server = await start(framework, registry, probe);
      const result = await runAttack(server.origin, probe);
      expect(result.legitShed / result.legit).toBeLessThan(0.01);
      const levee = registry.peek(DEFAULT_KEY)!;
      expect(levee.state).toBe('CLOSED');
      const { counters } = levee.snapshot();
      expect(counters).toMatchObject({
        succeeded: result.legit - result.legitShed,
        failed: 0,
        cancelled: result.attacksAdmitted,
      });
      expect(result.attacksAdmitted).toBe(result.attacks);
    });
  }

  it("clientAbort: 'failure' restores the old accounting, and the attack then works", async () => {
    const clock = virtualClock();
    const registry = new LeveeRegistry({ slo: SLO_99, clock: clock.now });
    const probe = new Probe(clock);
    server = await start('http', registry, probe, 'failure');
    const result = await runAttack(server.origin, probe);
    const { counters } = registry.peek(DEFAULT_KEY)!.snapshot();
    expect(counters.failed).toBe(result.attacksAdmitted);
    expect(counters.cancelled).toBe(0);
    // A third of the calls fail against a 1 % budget: the breaker trips and sheds.
    expect(result.legitShed / result.legit).toBeGreaterThan(0.2);
  });
});
