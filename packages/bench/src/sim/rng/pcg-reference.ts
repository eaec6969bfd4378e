/**
 * Slow, obviously-correct BigInt model of Go's `math/rand/v2` PCG-DXSM source
 * (docs/BENCHMARKS.md Appendix A.1/A.2). It exists as a test oracle for the fast
 * limb-based implementation in `go-rand.ts`; do not use it on hot paths.
 */

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

/** PCG multiplier: 2549297995355413924·2⁶⁴ + 4865540595714422341. */
export const PCG_MUL = (2549297995355413924n << 64n) + 4865540595714422341n;
/** PCG increment: 6364136223846793005·2⁶⁴ + 1442695040888963407. */
export const PCG_INC = (6364136223846793005n << 64n) + 1442695040888963407n;
/** DXSM "cheap multiplier". */
export const DXSM_MUL = 0xda942042e4dd58b5n;

/** BigInt PCG-DXSM; `new PcgReference(a, b)` is Go's `NewPCG(a, b)`. */
export class PcgReference {
  private state: bigint;

  constructor(seed1: bigint, seed2: bigint) {
    this.state = ((seed1 & MASK64) << 64n) | (seed2 & MASK64);
  }

  /** One source output (`Uint64()`). */
  uint64(): bigint {
    this.state = (this.state * PCG_MUL + PCG_INC) & MASK128;
    const hi = this.state >> 64n;
    const lo = this.state & MASK64;
    let h = hi;
    h ^= h >> 32n;
    h = (h * DXSM_MUL) & MASK64;
    h ^= h >> 48n;
    h = (h * (lo | 1n)) & MASK64;
    return h;
  }

  /** Go `Float64()`: low 53 bits / 2⁵³. */
  float64(): number {
    return Number(this.uint64() & ((1n << 53n) - 1n)) / 2 ** 53;
  }

  /** Go `Uint32()`: top 32 bits. */
  uint32(): number {
    return Number(this.uint64() >> 32n);
  }
}
