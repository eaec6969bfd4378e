/**
 * A small seeded pseudo-random generator for the reference limiters (Vegas
 * probe jitter, Envoy minRTT jitter, SRE throttle drops): Marsaglia's
 * xorshift128 ("Xorshift RNGs", 2003) on four 32-bit words, seeded by running
 * the seed through the 32-bit murmur3 finaliser so that nearby seeds give
 * unrelated streams and the state is never all zero. Same seed → same stream,
 * on every platform; no dependency on `Math.random`.
 */
/** Seed of the limiters that draw random numbers (Vegas, Envoy, SRE). */
export const PEER_SEED = 20241225;

export class SeededRandom {
  #x: number;
  #y: number;
  #z: number;
  #w: number;

  constructor(seed: number) {
    const s = Math.trunc(seed) >>> 0;
    const hi = Math.trunc(seed / 4294967296) >>> 0;
    this.#x = fmix32(s ^ 0x9e3779b9);
    this.#y = fmix32(hi ^ 0x85ebca6b ^ this.#x);
    this.#z = fmix32(s + 0xc2b2ae35 + this.#y);
    this.#w = fmix32(hi + 0x27d4eb2f + this.#z) | 1; // never all zero
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = this.#x ^ (this.#x << 11);
    this.#x = this.#y;
    this.#y = this.#z;
    this.#z = this.#w;
    this.#w = this.#w ^ (this.#w >>> 19) ^ (t ^ (t >>> 8));
    return this.#w >>> 0;
  }

  /** Uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  nextRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }
}

/** The murmur3 32-bit finaliser (an invertible avalanche mix). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
