/**
 * Model-based property tests: random operation sequences across SLOs
 * 0.5…0.999, with every invariant checked after every operation (legal
 * transition, trigger iff the state changed, inflight = outstanding calls,
 * limit ≥ 1 while capped, finite diagnostics, conservation of counters), and
 * bad inputs that must leave the state untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EstimatorName, Levee, LeveeUsageError, type State } from '../../src/index.js';
import { checkInvariants, ESTIMATORS } from './harness.js';

type Op =
  | { kind: 'start'; dt: number }
  | { kind: 'complete'; pick: number; fail: boolean; dt: number }
  | { kind: 'cancel'; pick: number; dt: number }
  | { kind: 'backwards'; by: number; fail: boolean; pick: number }
  | { kind: 'bad'; which: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('start' as const),
      dt: fc.integer({ min: 0, max: 50 }),
    }),
  },
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      pick: fc.nat(),
      fail: fc.boolean(),
      dt: fc.integer({ min: 0, max: 50 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), dt: fc.nat(5) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('backwards' as const),
      by: fc.integer({ min: 1, max: 500 }),
      fail: fc.boolean(),
      pick: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), which: fc.nat(7) }) },
);

const sloArb = fc.record({
  successRate: fc.constantFrom(0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999),
  timeoutMs: fc.constantFrom(1, 10, 50, 1000, 3_600_000),
});

const BAD_TIMES = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

function run(
  slo: { successRate: number; timeoutMs: number },
  ops: Op[],
  failBias: number,
  estimator: EstimatorName,
): number {
  const levee = new Levee(slo, { estimator });
  const outstanding: number[] = []; // start times
  const visited = new Set<State>();
  let t = 0;
  for (const op of ops) {
    const before = levee.state;
    const snapBefore = JSON.stringify(levee.snapshot());
    switch (op.kind) {
      case 'start': {
        t += op.dt;
        const r = levee.start(t);
        if (r.admitted) outstanding.push(t);
        checkInvariants(levee, before, r, outstanding.length);
        break;
      }
      case 'complete':
      case 'backwards': {
        if (outstanding.length === 0) {
          expect(() => levee.success(t, 1)).toThrow(LeveeUsageError);
          expect(JSON.stringify(levee.snapshot())).toBe(snapBefore);
          break;
        }
        const i = op.pick % outstanding.length;
        const started = outstanding[i]!;
        outstanding.splice(i, 1);
        // 'backwards' reports a timestamp earlier than the previous event.
        const at = op.kind === 'complete' ? (t += op.dt) : Math.max(t - op.by, 0);
        const fail = op.kind === 'complete' ? op.fail || failBias > 0.5 : op.fail;
        const d = Math.max(at - started, 0);
        const r = fail ? levee.fail(at, d) : levee.success(at, d);
        checkInvariants(levee, before, r, outstanding.length);
        break;
      }
      case 'cancel': {
        if (outstanding.length === 0) {
          expect(() => levee.cancel(t)).toThrow(LeveeUsageError);
          break;
        }
        outstanding.splice(op.pick % outstanding.length, 1);
        t += op.dt;
        const r = levee.cancel(t);
        checkInvariants(levee, before, r, outstanding.length);
        break;
      }
      case 'bad': {
        const which = op.which;
        const bad = BAD_TIMES[which % 3]!;
        if (which < 3) expect(() => levee.start(bad)).toThrow(RangeError);
        else if (which === 3) expect(() => levee.success(t, -1)).toThrow(RangeError);
        else if (which === 4) expect(() => levee.fail(bad, 1)).toThrow(RangeError);
        else if (which === 5) expect(() => levee.fail(t, Number.NaN)).toThrow(RangeError);
        else if (which === 6)
          expect(() => levee.start('12' as unknown as number)).toThrow(TypeError);
        else expect(() => levee.success(t, Number.POSITIVE_INFINITY)).toThrow(RangeError);
        expect(JSON.stringify(levee.snapshot())).toBe(snapBefore);
        break;
      }
    }
    visited.add(levee.state);
  }
  return visited.size;
}

describe.each(ESTIMATORS)('model-based invariants, estimator %s', (estimator) => {
  it('hold after every operation of random sequences (≥ 200,000 operations)', () => {
    let total = 0;
    fc.assert(
      fc.property(
        sloArb,
        fc.array(opArb, { minLength: 500, maxLength: 1500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (slo, ops, bias) => {
          total += ops.length;
          run(slo, ops, bias, estimator);
        },
      ),
      { numRuns: 300, seed: 424242 },
    );
    expect(total).toBeGreaterThanOrEqual(200_000);
  });

  it('the seeded 200,000-step sweep (§6.1 item 13) visits CLOSED, THROTTLED and OPEN', () => {
    let s = 1;
    const rand = () => {
      s = (s + 0x6d2b79f5) | 0;
      let x = Math.imul(s ^ (s >>> 15), s | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const levee = new Levee({ successRate: 0.95, timeoutMs: 50 }, { estimator });
    const outstanding: number[] = [];
    const visited = new Set<State>();
    let t = 0;
    for (let step = 0; step < 200_000; step++) {
      t += 1 + Math.floor(rand() * 5);
      const pFail = Math.floor(step / 20_000) % 2 === 0 ? 0.6 : 0.02;
      const before = levee.state;
      if (outstanding.length === 0 || rand() < 0.5) {
        const r = levee.start(t);
        if (r.admitted) outstanding.push(t);
        checkInvariants(levee, before, r, outstanding.length);
      } else {
        const i = Math.floor(rand() * outstanding.length);
        const started = outstanding[i]!;
        outstanding.splice(i, 1);
        const d = t - started + 1;
        const r = rand() < pFail ? levee.fail(t, d) : levee.success(t, d);
        checkInvariants(levee, before, r, outstanding.length);
      }
      visited.add(levee.state);
    }
    for (const st of ['CLOSED', 'THROTTLED', 'OPEN'] as const) expect(visited.has(st)).toBe(true);
  });
});

describe.each(ESTIMATORS)('FuzzAdmission (§6.2) as a property, estimator %s', (estimator) => {
  const SLOS = [
    { successRate: 0.5, timeoutMs: 1 },
    { successRate: 0.9, timeoutMs: 10 },
    { successRate: 0.95, timeoutMs: 50 },
    { successRate: 0.99, timeoutMs: 1000 },
    { successRate: 0.999, timeoutMs: 3_600_000 },
  ];
  function fuzzAdmission(sloSel: number, ops: Uint8Array | number[]): void {
    const levee = new Levee(SLOS[sloSel % SLOS.length]!, { estimator });
    const outstanding: number[] = [];
    let t = 0;
    for (const b of ops) {
      t += (b % 7) + 1;
      const before = levee.state;
      if (b % 3 === 0 || outstanding.length === 0) {
        const r = levee.start(t);
        if (r.admitted) outstanding.push(t);
        checkInvariants(levee, before, r, outstanding.length);
      } else {
        outstanding.shift();
        const d = (b % 13) + 1;
        const r = b % 2 === 0 ? levee.fail(t, d) : levee.success(t, d);
        checkInvariants(levee, before, r, outstanding.length);
      }
    }
  }
  it('holds on the seed corpus', () => {
    fuzzAdmission(0, [0, 1, 2, 0, 1, 2, 0, 0, 2, 1]);
    fuzzAdmission(3, new Array(10).fill(0));
    fuzzAdmission(7, [2, 2, 2, 2, 2, 0, 2, 0, 2, 0, 2, 0]);
  });
  it('holds on random byte strings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.uint8Array({ maxLength: 2000 }),
        (s, ops) => fuzzAdmission(s, ops),
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
