/**
 * The live servers on real sockets (127.0.0.1, a handful of requests each):
 * every flavour with the oracle, with Levee's integration and with a
 * registry candidate; the dependency going down and back.
 */

import { Pool } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SERVICE, FLAVOURS, type Flavour } from '../../../src/suites/live/config.js';
import { startDependency, startService } from '../../../src/suites/live/servers.js';
import { DependencyHandler, WorkerPool } from '../../../src/suites/live/service.js';

const SLO = { successRate: 0.99, timeoutMs: 1000 };
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function service(flavour: Flavour, governor: string, oracleLimit = 20) {
  // A long service time and a hang keep admitted requests in flight for the whole test.
  const pool = new WorkerPool(
    { ...DEFAULT_SERVICE, slots: 4, serviceMs: 1, depTimeoutMs: 60_000 },
    1,
  );
  const instance = await startService({
    flavour,
    governor,
    slo: SLO,
    oracleLimit,
    pool,
    clock: () => Math.round(performance.now() * 1e6),
    port: 0,
  });
  const client = new Pool(`http://127.0.0.1:${instance.port}`, { connections: 8 });
  cleanups.push(async () => {
    pool.destroy();
    await instance.close();
    await client.destroy();
  });
  const get = async (): Promise<number> => {
    const res = await client.request({ path: '/work', method: 'GET' });
    await res.body.dump();
    return res.statusCode;
  };
  return { pool, instance, client, get };
}

describe.each(FLAVOURS)('the %s service', (flavour) => {
  it('answers through the oracle, which sheds beyond its limit with 503', async () => {
    const s = await service(flavour, 'oracle', 1);
    expect(await s.get()).toBe(200);
    expect(s.instance.sample()).toEqual({ state: 'CLOSED', limit: 1, inflight: 0 });
    s.pool.mode = 'hang';
    const hanging = s.get().catch(() => -1);
    await vi.waitUntil(() => s.pool.busy === 1, { timeout: 10_000, interval: 5 });
    expect(await s.get()).toBe(503);
    expect(await s.get()).toBe(503);
    expect(s.instance.sample()).toEqual({ state: 'THROTTLED', limit: 1, inflight: 1 });
    await s.instance.close(); // a hard close fails the hanging request
    expect(await hanging).toBe(-1);
  });

  it('answers through Levee (its real integration) and a registry candidate', async () => {
    const levee = await service(flavour, 'levee');
    expect(levee.instance.sample()).toEqual({ state: 'CLOSED', limit: 0, inflight: 0 });
    for (let i = 0; i < 5; i++) expect(await levee.get()).toBe(200);
    expect(levee.instance.sample().state).toBe('CLOSED');
    const aimd = await service(flavour, 'aimd');
    for (let i = 0; i < 3; i++) expect(await aimd.get()).toBe(200);
    expect(aimd.instance.sample()).toEqual({ state: 'CLOSED', limit: 20, inflight: 0 });
  });
});

describe('the dependency', () => {
  it('errs, refuses connections while down and serves again on the same port', async () => {
    const handler = new DependencyHandler(1);
    const dep = await startDependency(handler);
    const client = new Pool(`http://127.0.0.1:${dep.port}`, { connections: 2 });
    cleanups.push(async () => {
      handler.destroy();
      await dep.close();
      await client.destroy();
    });
    const get = async (): Promise<number | string> => {
      try {
        const res = await client.request({ path: '/call', method: 'GET' });
        await res.body.dump();
        return res.statusCode;
      } catch (err) {
        return (err as { code?: string }).code ?? 'error';
      }
    };
    expect(await get()).toBe(200);
    handler.mode = 'errors';
    expect(await get()).toBe(500);
    await dep.setDown(true);
    // The kept-alive connection was dropped (a socket error), then connecting is refused.
    expect(['UND_ERR_SOCKET', 'ECONNREFUSED']).toContain(await get());
    expect(await get()).toBe('ECONNREFUSED');
    handler.mode = 'ok';
    await dep.setDown(false);
    expect(await get()).toBe(200);
  });
});
