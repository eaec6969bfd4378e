/**
 * The live servers, all on 127.0.0.1: the governed service in one of three
 * flavours (plain `node:http`, Express, Fastify), its health endpoint (a
 * second listener on the same event loop, never governed: its latency shows
 * how responsive the service's process stays) and the client part's
 * dependency.
 *
 * The governed route is `GET /work`. Levee governs through its real
 * integrations (`@leveejs/levee/http`, `/express`, `/fastify`); every other
 * governor through a `CandidateGate` placed where the integration would be,
 * with the same outcome rule (status ≥ 500 or a connection closed before
 * the response: failure) and a 503 with `Retry-After` for a shed request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LeveeRegistry } from '@leveejs/levee/registry';
import type { Flavour, LiveSlo } from './config.js';
import {
  CandidateGate,
  createOutOfBand,
  type GatePermit,
  type GovernorSample,
  type NsClock,
} from './governors.js';
import { bodyFor, type DependencyHandler, send, type WorkerPool } from './service.js';

/** Keep-alive on the server side well above any phase, so connections are not recycled mid-run. */
const KEEP_ALIVE_MS = 65_000;
const HOST = '127.0.0.1';

export interface ServiceInstance {
  readonly port: number;
  /** The governor's state, limit and inflight right now. */
  sample(): GovernorSample;
  /** Hard close: listener closed and every connection destroyed. */
  close(): Promise<void>;
}

export interface ServiceArgs {
  flavour: Flavour;
  governor: string;
  slo: LiveSlo;
  /** The oracle's inflight limit (the service's slots). */
  oracleLimit: number;
  pool: WorkerPool;
  clock: NsClock;
  /** 0: any free port. */
  port: number;
}

const SHED_BODY = 'load shed\n';

function writeShed(res: ServerResponse): void {
  res.writeHead(503, {
    'retry-after': '1',
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(SHED_BODY.length),
  });
  res.end(SHED_BODY);
}

/** Levee's state as a sample (the default route class; CLOSED and no limit before its first request). */
function leveeSample(registry: LeveeRegistry): GovernorSample {
  const levee = registry.peek('default');
  if (levee === undefined) return { state: 'CLOSED', limit: 0, inflight: 0 };
  const snap = levee.snapshot();
  return { state: snap.state, limit: snap.limit, inflight: snap.inflight };
}

/** Resolves once `server` listens on `port` (0: any), with the port. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes `server` and destroys its connections; resolves once it is closed. */
export function closeHard(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the governed service. */
export async function startService(args: ServiceArgs): Promise<ServiceInstance> {
  const { flavour, governor, slo, pool } = args;
  const serve = (respond: (status: number) => void): void => {
    if (!pool.submit(respond)) respond(503);
  };
  const gate =
    governor === 'levee'
      ? undefined
      : new CandidateGate(createOutOfBand(governor, slo, args.oracleLimit), args.clock);

  if (flavour === 'fastify') return startFastify(args, serve, gate);

  const work = (_req: IncomingMessage, res: ServerResponse): void => serve((s) => send(res, s));
  let listener: (req: IncomingMessage, res: ServerResponse) => void;
  let sample: () => GovernorSample;
  if (gate === undefined) {
    if (flavour === 'http') {
      const { shedLoad } = await import('@leveejs/levee/http');
      const shed = shedLoad({ slo });
      listener = shed(work);
      sample = () => leveeSample(shed.registry);
    } else {
      const { shedLoad } = await import('@leveejs/levee/express');
      const { default: express } = await import('express');
      const app = express();
      app.disable('x-powered-by');
      app.set('etag', false);
      const middleware = shedLoad({ slo });
      app.use(middleware);
      app.get('/work', work);
      listener = app;
      sample = () => leveeSample(middleware.registry);
    }
  } else {
    const admitThen = (res: ServerResponse, next: () => void): void => {
      const permit = gate.admit();
      if (permit === undefined) {
        writeShed(res);
        return;
      }
      res.once('close', () => {
        if (res.writableFinished) permit.finish(res.statusCode);
        else permit.fail();
      });
      next();
    };
    if (flavour === 'http') {
      listener = (req, res) => admitThen(res, () => work(req, res));
    } else {
      const { default: express } = await import('express');
      const app = express();
      app.disable('x-powered-by');
      app.set('etag', false);
      app.use((_req, res, next) => admitThen(res, () => next()));
      app.get('/work', work);
      listener = app;
    }
    sample = () => gate.sample();
  }
  const server = createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const port = await listen(server, args.port);
  return { port, sample, close: () => closeHard(server) };
}

const kPermit = Symbol('live.permit');

async function startFastify(
  args: ServiceArgs,
  serve: (respond: (status: number) => void) => void,
  gate: CandidateGate | undefined,
): Promise<ServiceInstance> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    keepAliveTimeout: KEEP_ALIVE_MS,
  });
  let sample: () => GovernorSample;
  if (gate === undefined) {
    const { levee } = await import('@leveejs/levee/fastify');
    await app.register(levee, { slo: args.slo });
    sample = () => leveeSample(app.leveeRegistry);
  } else {
    type WithPermit = { [kPermit]?: GatePermit };
    app.addHook('onRequest', (request, reply, done) => {
      const permit = gate.admit();
      if (permit === undefined) {
        reply
          .code(503)
          .header('retry-after', '1')
          .type('text/plain; charset=utf-8')
          .send(SHED_BODY);
        return;
      }
      (request as unknown as WithPermit)[kPermit] = permit;
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      (request as unknown as WithPermit)[kPermit]?.finish(reply.statusCode);
      done();
    });
    app.addHook('onRequestAbort', (request, done) => {
      (request as unknown as WithPermit)[kPermit]?.fail();
      done();
    });
    sample = () => gate.sample();
  }
  app.get('/work', (_request, reply) => {
    serve((status) => {
      if (reply.sent || reply.raw.destroyed) return;
      reply.code(status).type('text/plain; charset=utf-8').send(bodyFor(status));
    });
  });
  await app.listen({ port: args.port, host: HOST });
  const port = (app.server.address() as AddressInfo).port;
  return {
    port,
    sample,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** The health endpoint: any request gets 200 at once. */
export async function startHealth(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((_req, res) => send(res, 200));
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const port = await listen(server, 0);
  return { port, close: () => closeHard(server) };
}

/**
 * The client part's dependency. `setDown(true)` stops listening and drops
 * every connection (new connections are refused); `setDown(false)` listens
 * again on the same port.
 */
export async function startDependency(handler: DependencyHandler): Promise<{
  port: number;
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}> {
  const server = createServer((_req, res) => handler.handle(res));
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const port = await listen(server, 0);
  let down = false;
  let pending: Promise<void> = Promise.resolve();
  return {
    port,
    setDown(d) {
      if (d === down) return pending;
      down = d;
      pending = pending.then(async () => {
        if (d) await closeHard(server);
        else await listen(server, port);
      });
      return pending;
    },
    async close() {
      await pending.catch(() => {});
      await closeHard(server);
    },
  };
}
