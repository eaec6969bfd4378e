import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Levee, type Permit, type SLO } from '../src/index.js';
import {
  DEFAULT_IDLE_TTL_MS,
  DEFAULT_MAX_SIZE,
  type EvictionReason,
  LeveeRegistry,
  RegistryFullError,
} from '../src/registry.js';
import { virtualClock } from './integrations/net.js';

const SLO_A: SLO = { successRate: 0.99, timeoutMs: 1000 };

function setup(options: { maxSize?: number; idleTtlMs?: number } = {}) {
  const clock = virtualClock();
  const registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now, ...options });
  const evicted: Array<[string, EvictionReason]> = [];
  registry.onEvict((key, _levee, reason) => evicted.push([key, reason]));
  return { clock, registry, evicted };
}

describe('LeveeRegistry: validation', () => {
  it('rejects bad options with errors naming the field and value', () => {
    const make = (o: unknown) => () => new LeveeRegistry(o as never);
    expect(make(undefined)).toThrow(TypeError);
    expect(make({})).toThrow(/slo must be an object/);
    expect(make({ slo: { successRate: 2, timeoutMs: 1 } })).toThrow(
      /slo.successRate must be strictly between 0 and 1, got 2/,
    );
    expect(make({ slo: SLO_A, maxSize: 0 })).toThrow(RangeError);
    expect(make({ slo: SLO_A, maxSize: 0 })).toThrow(/options.maxSize .* got 0/);
    expect(make({ slo: SLO_A, maxSize: 1.5 })).toThrow(/options.maxSize .* got 1.5/);
    expect(make({ slo: SLO_A, maxSize: '10' })).toThrow(TypeError);
    expect(make({ slo: SLO_A, maxSize: '10' })).toThrow(
      /options.maxSize must be a number, got "10"/,
    );
    expect(make({ slo: SLO_A, idleTtlMs: 0 })).toThrow(RangeError);
    expect(make({ slo: SLO_A, idleTtlMs: Number.NaN })).toThrow(/options.idleTtlMs .* got NaN/);
    expect(make({ slo: SLO_A, idleTtlMs: null })).toThrow(TypeError);
    expect(make({ slo: SLO_A, clock: 5 })).toThrow(/options.clock must be a function .*got 5/);
    expect(
      () => new LeveeRegistry({ slo: SLO_A, maxSize: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
  });

  it('defaults: 1,000 instances, 10 minutes idle', () => {
    const registry = new LeveeRegistry({ slo: SLO_A });
    expect(registry.maxSize).toBe(DEFAULT_MAX_SIZE);
    expect(registry.maxSize).toBe(1000);
    expect(registry.idleTtlMs).toBe(DEFAULT_IDLE_TTL_MS);
    expect(registry.idleTtlMs).toBe(600_000);
  });

  it('rejects non-string keys and invalid per-key SLOs, naming the key', () => {
    const registry = new LeveeRegistry({
      slo: (key) => (key === 'bad' ? { successRate: 0.9, timeoutMs: -1 } : SLO_A),
    });
    expect(() => registry.get(42 as never)).toThrow(/key must be a string, got 42/);
    expect(() => registry.get('bad')).toThrow(RangeError);
    expect(() => registry.get('bad')).toThrow(/options.slo\("bad"\): slo.timeoutMs/);
    expect(registry.size).toBe(0);
    expect(registry.get('good').slo).toEqual(SLO_A);
  });
});

describe('LeveeRegistry: instances', () => {
  it('creates one instance per key, lazily, with the per-key SLO and the clock', () => {
    const clock = virtualClock(5000);
    const calls: string[] = [];
    const registry = new LeveeRegistry({
      slo: (key) => {
        calls.push(key);
        return key.startsWith('slow') ? { successRate: 0.9, timeoutMs: 5000 } : SLO_A;
      },
      clock: clock.now,
    });
    const created: string[] = [];
    registry.onInstance((key, levee) => {
      expect(levee).toBeInstanceOf(Levee);
      created.push(key);
    });
    expect(registry.size).toBe(0);
    const a = registry.get('a');
    expect(registry.get('a')).toBe(a);
    const slow = registry.get('slow-api');
    expect(slow.slo).toEqual({ successRate: 0.9, timeoutMs: 5000 });
    expect(a.slo).toEqual(SLO_A);
    expect(calls).toEqual(['a', 'slow-api']);
    expect(created).toEqual(['a', 'slow-api']);
    expect(registry.size).toBe(2);
    expect(a.now()).toBe(5000);
    expect(a.tryAcquire()?.startedAtMs).toBe(5000);
  });

  it('peek/has neither create nor refresh; delete removes and notifies', () => {
    const { registry, evicted } = setup();
    expect(registry.peek('x')).toBeUndefined();
    expect(registry.has('x')).toBe(false);
    expect(registry.size).toBe(0);
    const x = registry.get('x');
    expect(registry.peek('x')).toBe(x);
    expect(registry.has('x')).toBe(true);
    expect(registry.delete('x')).toBe(true);
    expect(registry.delete('x')).toBe(false);
    expect(evicted).toEqual([['x', 'deleted']]);
    expect(registry.get('x')).not.toBe(x);
  });

  it('iterates [key, levee] pairs least recently used first', () => {
    const { registry } = setup();
    const a = registry.get('a');
    const b = registry.get('b');
    const c = registry.get('c');
    registry.get('a');
    expect([...registry]).toEqual([
      ['b', b],
      ['c', c],
      ['a', a],
    ]);
    expect([...registry.entries()].map(([k]) => k)).toEqual(['b', 'c', 'a']);
    expect([...registry.keys()]).toEqual(['b', 'c', 'a']);
    // Safe to mutate while iterating.
    for (const [key] of registry) registry.delete(key);
    expect(registry.size).toBe(0);
  });

  it('unsubscribes listeners (call, unsubscribe(), dispose)', () => {
    const { registry } = setup();
    const seen: string[] = [];
    const s1 = registry.onInstance((k) => seen.push(`1:${k}`));
    const s2 = registry.onInstance((k) => seen.push(`2:${k}`));
    const s3 = registry.onInstance((k) => seen.push(`3:${k}`));
    registry.get('a');
    s1();
    s2.unsubscribe();
    s3[Symbol.dispose]();
    registry.get('b');
    expect(seen).toEqual(['1:a', '2:a', '3:a']);
    expect(() => registry.onEvict(null as never)).toThrow(TypeError);
  });
});

describe('LeveeRegistry: idle eviction (no timers)', () => {
  it('evicts instances idle for idleTtlMs on a later get, never busy ones', () => {
    const { clock, registry, evicted } = setup({ idleTtlMs: 1000 });
    registry.get('idle');
    const busy = registry.get('busy');
    const permit = busy.tryAcquire();
    expect(permit).toBeDefined();
    clock.advance(999);
    registry.get('fresh');
    expect(registry.size).toBe(3);
    clock.advance(1);
    registry.get('fresh');
    expect(evicted).toEqual([['idle', 'idle']]);
    expect(registry.peek('busy')).toBe(busy);
    // Busy past its TTL counts as in use: it stays, and goes once idle for a full TTL.
    permit!.success();
    clock.advance(999);
    registry.get('fresh');
    expect(registry.has('busy')).toBe(true);
    clock.advance(1001);
    registry.get('other');
    expect(evicted.map(([k]) => k)).toEqual(['idle', 'busy', 'fresh']);
    expect([...registry.keys()]).toEqual(['other']);
  });

  it('prune() evicts idle instances on demand and reports how many', () => {
    const { clock, registry } = setup({ idleTtlMs: 50 });
    registry.get('a');
    registry.get('b');
    expect(registry.prune()).toBe(0);
    clock.advance(50);
    expect(registry.prune()).toBe(2);
    expect(registry.size).toBe(0);
  });

  it('idleTtlMs: Infinity keeps instances forever', () => {
    const { clock, registry } = setup({ idleTtlMs: Number.POSITIVE_INFINITY });
    registry.get('a');
    clock.advance(1e12);
    registry.get('b');
    expect(registry.size).toBe(2);
  });
});

describe('LeveeRegistry: hard cap', () => {
  it('evicts the least recently used idle instance at maxSize', () => {
    const { registry, evicted } = setup({ maxSize: 3 });
    registry.get('a');
    registry.get('b');
    registry.get('c');
    registry.get('a'); // order now b, c, a
    registry.get('d');
    expect(evicted).toEqual([['b', 'capacity']]);
    expect([...registry.keys()]).toEqual(['c', 'a', 'd']);
  });

  it('skips instances with calls in flight', () => {
    const { registry, evicted } = setup({ maxSize: 2 });
    const a = registry.get('a');
    registry.get('b');
    const permit = a.tryAcquire()!;
    registry.get('c');
    expect(evicted).toEqual([['b', 'capacity']]);
    expect(registry.peek('a')).toBe(a);
    permit.cancel();
  });

  it('refuses a new key with RegistryFullError when every instance is busy', () => {
    const { registry, evicted } = setup({ maxSize: 2 });
    const permits = [registry.get('a').tryAcquire()!, registry.get('b').tryAcquire()!];
    let error: unknown;
    try {
      registry.get('c');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RegistryFullError);
    expect(error).toMatchObject({ code: 'ERR_LEVEE_REGISTRY_FULL', key: 'c', maxSize: 2 });
    expect((error as Error).message).toMatch(/all 2 instances have calls in flight/);
    expect(evicted).toEqual([]);
    // Existing keys still work; once one is idle the new key gets a slot.
    expect(registry.get('a')).toBeDefined();
    permits[1]!.success();
    registry.get('c');
    expect([...registry.keys()]).toEqual(['a', 'c']);
    permits[0]!.success();
  });

  it('isolates listener errors: reported as a process warning, never thrown', async () => {
    const { registry } = setup();
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      if (w.name === 'LeveeListenerError') warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      registry.onInstance(() => {
        throw new Error('boom');
      });
      registry.onEvict(() => {
        throw new Error('evict boom');
      });
      expect(registry.get('a')).toBeDefined();
      expect(() => registry.delete('a')).not.toThrow();
      // process warnings are delivered on a later tick
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => (w.cause as Error).message)).toEqual(['boom', 'evict boom']);
  });
});

describe('LeveeRegistry: properties', () => {
  type Cmd =
    | { op: 'get'; key: number }
    | { op: 'acquire'; key: number }
    | { op: 'complete'; index: number; kind: 0 | 1 | 2 }
    | { op: 'advance'; ms: number }
    | { op: 'delete'; key: number }
    | { op: 'prune' };

  const cmd: fc.Arbitrary<Cmd> = fc.oneof(
    fc.record({ op: fc.constant('get' as const), key: fc.nat(12) }),
    fc.record({ op: fc.constant('acquire' as const), key: fc.nat(12) }),
    fc.record({
      op: fc.constant('complete' as const),
      index: fc.nat(),
      kind: fc.constantFrom(0 as const, 1 as const, 2 as const),
    }),
    fc.record({ op: fc.constant('advance' as const), ms: fc.nat(400) }),
    fc.record({ op: fc.constant('delete' as const), key: fc.nat(12) }),
    fc.record({ op: fc.constant('prune' as const) }),
  );

  it('size never exceeds maxSize; no instance with calls in flight is ever evicted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(cmd, { maxLength: 200 }),
        (maxSize, idleTtlMs, cmds) => {
          const clock = virtualClock();
          const registry = new LeveeRegistry({ slo: SLO_A, clock: clock.now, maxSize, idleTtlMs });
          const live = new Map<string, Levee>();
          const lastUsed = new Map<string, number>();
          registry.onInstance((key, levee) => live.set(key, levee));
          registry.onEvict((key, levee, reason) => {
            if (reason !== 'deleted') {
              expect(levee.inflight).toBe(0);
              if (reason === 'idle') {
                expect(clock.now() - lastUsed.get(key)!).toBeGreaterThanOrEqual(idleTtlMs);
              }
            }
            expect(live.get(key)).toBe(levee);
            live.delete(key);
          });
          const permits: Permit[] = [];
          for (const c of cmds) {
            if (c.op === 'get' || c.op === 'acquire') {
              const key = `k${c.key}`;
              let levee: Levee;
              try {
                levee = registry.get(key);
              } catch (err) {
                expect(err).toBeInstanceOf(RegistryFullError);
                expect(registry.has(key)).toBe(false);
                expect(registry.size).toBe(maxSize);
                for (const [, l] of registry) expect(l.inflight).toBeGreaterThan(0);
                continue;
              }
              lastUsed.set(key, clock.now());
              expect(registry.peek(key)).toBe(levee);
              if (c.op === 'acquire') {
                const permit = levee.tryAcquire();
                if (permit !== undefined) permits.push(permit);
              }
            } else if (c.op === 'complete') {
              if (permits.length === 0) continue;
              const [permit] = permits.splice(c.index % permits.length, 1);
              if (c.kind === 0) permit!.success();
              else if (c.kind === 1) permit!.fail();
              else permit!.cancel();
            } else if (c.op === 'advance') {
              clock.advance(c.ms);
            } else if (c.op === 'delete') {
              registry.delete(`k${c.key}`);
            } else {
              registry.prune();
            }
            expect(registry.size).toBeLessThanOrEqual(maxSize);
            expect(registry.size).toBe(live.size);
            for (const [key, levee] of registry) expect(live.get(key)).toBe(levee);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
