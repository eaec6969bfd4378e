/**
 * Loopback helpers for the integration tests: servers on 127.0.0.1 with an
 * ephemeral port that can always be closed (sockets included), a virtual
 * clock, and a check that no socket, server or ref'd timer is left behind.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Levee, State } from '../../src/index.js';

export interface TestServer {
  readonly server: http.Server;
  readonly origin: string;
  readonly port: number;
  /** Requests the server has seen. */
  readonly requests: number;
  /** Closes the server and destroys every open socket. */
  close(): Promise<void>;
}

/** Tracks a server's sockets so `close()` never waits for keep-alive timeouts. */
export function track(server: http.Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return async () => {
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    for (const socket of sockets) socket.destroy();
    await closed;
  };
}

/** Starts `handler` (or an already created server) on 127.0.0.1:0. */
export async function listen(handler: http.RequestListener | http.Server): Promise<TestServer> {
  const server = handler instanceof http.Server ? handler : http.createServer(handler);
  let requests = 0;
  server.prependListener('request', () => {
    requests++;
  });
  const close = track(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    close,
  };
}

/** A manually advanced clock in milliseconds. */
export function virtualClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/**
 * Drives a Levee into OPEN with the out-of-band API on its own clock:
 * consecutive failures trip it to THROTTLED at limit 1, and a failed window
 * at the floor opens it. Returns at the instant it opened.
 */
export function driveOpen(
  levee: Levee,
  clock: { now: () => number; advance: (ms: number) => void },
) {
  const state = (): State => levee.state;
  for (let i = 0; i < 100 && state() !== 'OPEN'; i++) {
    if (levee.start(clock.now()).admitted) {
      clock.advance(1);
      levee.fail(clock.now(), 1);
    }
    if (state() === 'THROTTLED' || state() === 'HALF_OPEN') clock.advance(6000);
  }
  expect(levee.state).toBe('OPEN');
}

/** Drives a fresh Levee into THROTTLED at limit 1 (five consecutive failures in warm-up). */
export function driveThrottled(
  levee: Levee,
  clock: { now: () => number; advance: (ms: number) => void },
) {
  for (let i = 0; i < 5; i++) {
    levee.start(clock.now());
    clock.advance(1);
    levee.fail(clock.now(), 1);
  }
  expect(levee.state).toBe('THROTTLED');
  expect(levee.snapshot().limit).toBe(1);
}

/** Every admitted call got exactly one completion. */
export function expectSettled(levee: Levee): void {
  const { counters, inflight } = levee.snapshot();
  expect(inflight).toBe(0);
  expect(counters.succeeded + counters.failed + counters.cancelled).toBe(counters.admitted);
}

/**
 * Sockets and servers. (Ref'd timers are reported as 'Timeout' too, but the
 * test runner's own come and go; the library's timers are all unref'd, which
 * `getActiveResourcesInfo()` does not list anyway.)
 */
const WATCHED = new Set(['TCPSocketWrap', 'TCPServerWrap', 'TCPWRAP', 'TCPConnectWrap']);

/** Counts of the resources that would keep the process alive (sockets, servers). */
export function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo().sort()) {
    if (WATCHED.has(type)) out[type] = (out[type] ?? 0) + 1;
  }
  return out;
}

/**
 * Asserts that no socket or server is left open compared with `baseline`.
 * A closed handle leaves libuv's list once its close callback has run, one
 * event-loop turn after the 'close' event, so this waits (boundedly) for
 * those callbacks before comparing.
 */
export async function expectNoLeakedHandles(baseline: Record<string, number>): Promise<void> {
  for (let turn = 0; turn < 100; turn++) {
    if (JSON.stringify(handles()) === JSON.stringify(baseline)) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(handles()).toEqual(baseline);
}

/** A raw `node:http` client request that the test can abandon mid-flight. */
export function rawRequest(
  origin: string,
  path: string,
): { response: Promise<http.IncomingMessage>; destroy: () => void } {
  const req = http.request(`${origin}${path}`, { agent: false });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  response.catch(() => {});
  req.end();
  return { response, destroy: () => req.destroy() };
}

/** A promise with its resolver, for handlers that wait on the test. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
} {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Registers the per-file lifecycle shared by the inbound tests: one undici
 * agent, and a check in afterAll that no handle outlived the file. Returns a
 * GET helper that goes through that agent.
 */
export function useLoopbackClient(): (
  origin: string,
  path: string,
) => Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  let agent: Agent;
  let baseline: Record<string, number>;
  beforeAll(() => {
    baseline = handles();
    agent = new Agent();
  });
  afterAll(async () => {
    await agent.close();
    await expectNoLeakedHandles(baseline);
  });
  return async (origin, path) => {
    const res = await request(`${origin}${path}`, { dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  };
}
