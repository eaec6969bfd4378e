import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXP_RE, EXP_TABLES, generateExpTables } from '../../../src/sim/rng/exp-tables.js';
import { GoRand } from '../../../src/sim/rng/go-rand.js';
import { PcgReference } from '../../../src/sim/rng/pcg-reference.js';

const SHARED = new URL('../../../../../../shared/data/', import.meta.url);

function f32bits(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
}

/** FNV-1a (32-bit) over the little-endian bytes of uint32 words. */
function fnv1a(words: Iterable<number>): number {
  let h = 0x811c9dc5;
  for (const w of words) {
    for (let b = 0; b < 4; b++) {
      h ^= (w >>> (8 * b)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

// Go math/rand/v2, NewPCG(1, 2): first 20 outputs of a fresh source each
// (Go's own PCG test vector and regression goldens; go-rand-vectors.json).
const KAT_UINT64 = [
  'c4f5a58656eef510',
  '9dcec3ad077dec6c',
  'c8d04605312f8088',
  'cbedc0dcb63ac19a',
  '3bf98798cae97950',
  'a8c6d7f8d485abc',
  '7ffa3780429cd279',
  '730ad2626b1c2f8e',
  '21ff2330f4a0ad99',
  '2f0901a1947094b0',
  'a9735a3cfbe36cef',
  '71ddb0a01a12c84a',
  'f0e53e77a78453bb',
  '1f173e9663be1e9d',
  '657651da3ac4115e',
  'c8987376b65a157b',
  'bb17008f5fca28e7',
  '8232bd645f29ed22',
  '12be8f07ad14c539',
  '54908a48e8e4736e',
];
const KAT_EXP = [
  0.5931317151369719, 0.0680034588807843, 0.036496967459790364, 2.460335459645379,
  1.5792300208419903, 0.9149501499404387, 0.43463410545541104, 0.5513632046504593,
  0.7426404617374481, 1.2334925132631804, 0.892529142200442, 0.21508763681487764,
  1.0208588200798545, 0.7650739736831382, 0.7772788529257701, 1.102732861281323, 0.6982243043885805,
  0.4981788638202421, 0.15806532306947937, 0.9419163802459202,
];
const KAT_FLOAT64 = [
  0.6764556596678251, 0.4613862177205994, 0.5085473976760264, 0.4297927436037299, 0.797802349388613,
  0.3883664855410056, 0.8192750264193612, 0.3381816951746133, 0.9730458047755973, 0.281449117585586,
  0.6047654075331631, 0.9278107175107462, 0.16387541502137226, 0.7263900707339023,
  0.6974917552729882, 0.7640946923790318, 0.7188183661358182, 0.5856191500346635,
  0.9549597149363428, 0.5168804691962643,
];
const KAT_UINT32 = [
  3304433030, 2647573421, 3369092613, 3421356252, 1006208920, 176975231, 2147104640, 1930089058,
  570368816, 789119393, 2842909244, 1910354080, 4041555575, 521617046, 1702253018, 3365434230,
  3138846863, 2184363364, 314478343, 1418758728,
];

describe('GoRand known answers, NewPCG(1, 2)', () => {
  it('Uint64', () => {
    const r = new GoRand(1, 2);
    expect(KAT_UINT64.map(() => r.uint64().toString(16))).toEqual(KAT_UINT64);
  });
  it('ExpFloat64', () => {
    const r = new GoRand(1, 2);
    expect(KAT_EXP.map(() => r.expFloat64())).toEqual(KAT_EXP);
  });
  it('Float64', () => {
    const r = new GoRand(1, 2);
    expect(KAT_FLOAT64.map(() => r.float64())).toEqual(KAT_FLOAT64);
  });
  it('Uint32', () => {
    const r = new GoRand(1, 2);
    expect(KAT_UINT32.map(() => r.uint32())).toEqual(KAT_UINT32);
  });
  it('BigInt reference agrees with the vectors', () => {
    const r = new PcgReference(1n, 2n);
    expect(KAT_UINT64.map(() => r.uint64().toString(16))).toEqual(KAT_UINT64);
  });
  it.runIf(existsSync(new URL('go-rand-vectors.json', SHARED)))(
    'inline vectors equal the shared go-rand-vectors.json',
    () => {
      const v = JSON.parse(readFileSync(new URL('go-rand-vectors.json', SHARED), 'utf8'));
      expect(v.seed).toEqual([1, 2]);
      expect(v.uint64Hex).toEqual(KAT_UINT64);
      expect(v.expFloat64).toEqual(KAT_EXP);
      expect(v.float64).toEqual(KAT_FLOAT64);
      expect(v.uint32).toEqual(KAT_UINT32);
    },
  );
});

describe('GoRand fast path vs BigInt reference', () => {
  const seeds: [bigint, bigint][] = [
    [20241225n, 0n],
    [0n, 0n],
    [(1n << 64n) - 1n, (1n << 64n) - 1n],
    [0x0123456789abcdefn, 0xfedcba9876543210n],
  ];
  for (const [a, b] of seeds) {
    it(`uint64/uint32/float64 agree for NewPCG(${a}, ${b})`, () => {
      const fast = new GoRand(a, b);
      const ref = new PcgReference(a, b);
      for (let i = 0; i < 20_000; i++) {
        const which = i % 3;
        if (which === 0) {
          expect(fast.uint64()).toBe(ref.uint64());
        } else if (which === 1) {
          expect(fast.uint32()).toBe(ref.uint32());
        } else {
          expect(fast.float64()).toBe(ref.float64());
        }
      }
      expect(fast.state()).toBe(refState(a, b, 20_000));
    });
  }

  it('expFloat64 consumes the source exactly like the ziggurat on the BigInt source', () => {
    const fast = GoRand.seeded(20241225);
    const ref = new PcgReference(20241225n, 0n);
    const { ke, we, fe } = EXP_TABLES;
    const refExp = (): number => {
      for (;;) {
        const u = ref.uint64();
        const j = Number(u & 0xffffffffn);
        const i = Number((u >> 32n) & 0xffn);
        const x = j * we[i]!;
        if (j < ke[i]!) {
          return x;
        }
        if (i === 0) {
          return EXP_RE - Math.log(ref.float64());
        }
        const v = Math.fround(ref.float64());
        const lhs = Math.fround(fe[i]! + Math.fround(v * Math.fround(fe[i - 1]! - fe[i]!)));
        if (lhs < Math.fround(Math.exp(-x))) {
          return x;
        }
      }
    };
    let slow = 0;
    for (let n = 0; n < 100_000; n++) {
      const a = fast.expFloat64();
      const b = refExp();
      if (a !== b) {
        expect(a).toBe(b);
      }
      if (a > 7.69711747013105) {
        slow++;
      }
    }
    // The tail path was exercised too (P(x > re) ≈ 0.05 %).
    expect(slow).toBeGreaterThan(10);
    expect(fast.uint64()).toBe(ref.uint64());
  });

  it('first draws for the benchmark seed 20241225 (pinned)', () => {
    const u = GoRand.seeded(20241225);
    expect([u.uint64(), u.uint64(), u.uint64()].map((x) => x.toString(16))).toEqual([
      '76cad16cd1004f98',
      'c7c6d34f6f9c6aef',
      'ed4ac624618b3a0c',
    ]);
    const e = GoRand.seeded(20241225);
    expect([1, 2, 3, 4, 5].map(() => e.expFloat64())).toEqual([
      1.1682378018506978, 0.4840944821678004, 0.24471922688593623, 1.7906680563651904,
      1.7025015326426491,
    ]);
    const f = GoRand.seeded(20241225);
    expect([f.float64(), f.float64(), f.float64()]).toEqual([
      0.3380645830206843, 0.21329471396469823, 0.3366872697022827,
    ]);
  });
});

function refState(a: bigint, b: bigint, steps: number): bigint {
  const MUL = (2549297995355413924n << 64n) + 4865540595714422341n;
  const INC = (6364136223846793005n << 64n) + 1442695040888963407n;
  let s = (a << 64n) | b;
  for (let i = 0; i < steps; i++) {
    s = (s * MUL + INC) & ((1n << 128n) - 1n);
  }
  return s;
}

describe('GoRand state()', () => {
  it('tracks the draws consumed, across block boundaries', () => {
    for (const n of [0, 1, 255, 256, 257, 511, 512, 1000]) {
      const r = new GoRand(7, 9);
      for (let i = 0; i < n; i++) {
        r.float64();
      }
      expect([n, r.state()]).toEqual([n, refState(7n, 9n, n)]);
    }
  });
});

describe('GoRand seeding', () => {
  it('NewPCG stores the seeds directly (hi = seed1, lo = seed2)', () => {
    expect(new GoRand(1, 2).state()).toBe((1n << 64n) | 2n);
    expect(new GoRand(20241225, 0).state()).toBe(20241225n << 64n);
  });
  it('seeded(seed) is NewPCG(seed, seed >> 32)', () => {
    expect(GoRand.seeded(20241225).state()).toBe(new GoRand(20241225, 0).state());
    const big = 2 ** 40 + 12345;
    expect(GoRand.seeded(big).state()).toBe(new GoRand(big, 2 ** 8).state());
    expect(GoRand.seeded(BigInt(big)).state()).toBe(GoRand.seeded(big).state());
    // Negative int64 seeds: two's complement, arithmetic shift.
    expect(GoRand.seeded(-1).state()).toBe(((1n << 128n) - 1n) as bigint);
  });
  it('rejects seeds that are not integers or out of range', () => {
    expect(() => GoRand.seeded(1.5)).toThrow(RangeError);
    expect(() => GoRand.seeded(2 ** 60)).toThrow(RangeError);
    expect(() => new GoRand(1n << 64n, 0)).toThrow(RangeError);
    expect(() => new GoRand(0, Number.NaN)).toThrow(RangeError);
  });
});

describe('ziggurat tables', () => {
  // Pinned from go-exp-tables.json: index, ke, we bits, fe bits.
  const PINS: [number, number, number, number][] = [
    [0, 3801129273, 0x310b2765, 0x3f800000],
    [1, 0, 0x2d82c4ec, 0x3f702a2f],
    [2, 2615860924, 0x2dd6b592, 0x3f668533],
    [3, 3279400049, 0x2e0c99ad, 0x3f5f2804],
    [7, 3906990442, 0x2e6f66c6, 0x3f4aa18e],
    [64, 4246620374, 0x2f732da4, 0x3ec60738],
    [127, 4262777212, 0x2fd434da, 0x3e431e6e],
    [128, 4262859239, 0x2fd5ce07, 0x3e40b293],
    [200, 4259063697, 0x3037c46e, 0x3d67ec18],
    [253, 4073393724, 0x30cf4ee0, 0x3ac95dab],
    [254, 4008685917, 0x30de1cf3, 0x3a7d9058],
    [255, 3873074895, 0x30f64ec9, 0x39ee18e2],
  ];
  const t = generateExpTables();

  it('has 256 entries of the right kinds', () => {
    expect(t.ke.length).toBe(256);
    for (let i = 0; i < 256; i++) {
      expect(Number.isInteger(t.ke[i]) && t.ke[i]! >= 0 && t.ke[i]! < 2 ** 32).toBe(true);
      expect(Math.fround(t.we[i]!)).toBe(t.we[i]);
      expect(Math.fround(t.fe[i]!)).toBe(t.fe[i]);
    }
  });

  it('matches pinned entries', () => {
    for (const [i, ke, we, fe] of PINS) {
      expect([i, t.ke[i], f32bits(t.we[i]!), f32bits(t.fe[i]!)]).toEqual([i, ke, we, fe]);
    }
  });

  it('matches digests of all 768 entries', () => {
    let keSum = 0;
    for (const k of t.ke) {
      keSum += k;
    }
    expect(keSum).toBe(1075080100302);
    expect(fnv1a(t.ke).toString(16)).toBe('41419e4f');
    expect(fnv1a(Array.from(t.we, f32bits)).toString(16)).toBe('16c91071');
    expect(fnv1a(Array.from(t.fe, f32bits)).toString(16)).toBe('d95a03cb');
  });

  it('re is the sampler constant', () => {
    expect(EXP_RE).toBe(7.69711747013105);
  });

  it.runIf(existsSync(new URL('go-exp-tables.json', SHARED)))(
    'equals the shared go-exp-tables.json exactly',
    () => {
      const d = JSON.parse(readFileSync(new URL('go-exp-tables.json', SHARED), 'utf8'));
      expect(d.re).toBe(EXP_RE);
      expect(Array.from(t.ke)).toEqual(d.ke);
      expect(Array.from(t.we, (x) => `0x${f32bits(x).toString(16).padStart(8, '0')}`)).toEqual(
        d.we_bits,
      );
      expect(Array.from(t.fe, (x) => `0x${f32bits(x).toString(16).padStart(8, '0')}`)).toEqual(
        d.fe_bits,
      );
      expect(d.we.map((s: string) => Math.fround(Number(s)))).toEqual(Array.from(t.we));
      expect(d.fe.map((s: string) => Math.fround(Number(s)))).toEqual(Array.from(t.fe));
    },
  );
});
