/**
 * Per-call randomness of the mesh engine (docs/BENCHMARKS.md §6.3): every draw is
 * a hash of the call's 64-bit id, so all governors see the same latency,
 * error and fan-out draws for the same call no matter how the event order
 * differs.
 *
 * - `splitmix64(x)`: the standard SplitMix64 step on x (add the golden gamma
 *   0x9E3779B97F4A7C15, then the two xor-shift-multiply rounds with
 *   0xBF58476D1CE4E5B9 and 0x94D049BB133111EB and a final xor-shift), all mod 2⁶⁴.
 * - uniform(id, salt) = top 53 bits of splitmix64(id XOR salt) / 2⁵³.
 * - root id = splitmix64(splitmix64(seed + slot·SALT_CHILD) + n) for the n-th
 *   arrival (n = 1, 2, …) of entry slot `slot`;
 *   child id = splitmix64(parentId + (edgeIndex+1)·SALT_CHILD + k·SALT_REP)
 *   for repetition k on the caller's edge `edgeIndex` (its index in the
 *   caller's edge list);
 * - the edge draw of repetition k uses salt EDGE_BASE + edgeIndex·EDGE_STEP +
 *   k·SALT_REP; latency and error draws use their own salts.
 *
 * 64-bit values are carried as two uint32 halves (hi, lo) in plain numbers;
 * the functions write their result to `H.hi` / `H.lo` (no allocation). The
 * 64×64 multiply takes the high word of the low product from a 16-bit split
 * (each partial product < 2⁴⁸, exact). `splitmix64Big` is the BigInt oracle.
 */

export const SALT_LATENCY = 0xa24baed4963ee407n;
export const SALT_ERROR = 0x9fb21c651e98df25n;
export const SALT_EDGE_BASE = 0xd6e8feb86659fd93n;
export const SALT_EDGE_STEP = 0x2545f4914f6cdd1dn;
export const SALT_CHILD = 0x9e3779b97f4a7c15n;
export const SALT_REP = 0xc2b2ae3d27d4eb4fn;

const MASK64 = (1n << 64n) - 1n;

/** BigInt SplitMix64 (test oracle and slow paths). */
export function splitmix64Big(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** BigInt uniform (test oracle). */
export function uniformBig(id: bigint, salt: bigint): number {
  return Number(splitmix64Big(id ^ salt) >> 11n) / 2 ** 53;
}

/** A 64-bit constant as [hi, lo] uint32 halves. */
export function halves(x: bigint): [number, number] {
  const v = x & MASK64;
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

/** Result registers of the number-based functions. */
export const H = { hi: 0, lo: 0 };

const GAMMA_HI = 0x9e3779b9;
const GAMMA_LO = 0x7f4a7c15;
const M1_HI = 0xbf58476d;
const M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb;
const M2_LO = 0x133111eb;
const TWO32 = 4294967296;
const INV53 = 1 / 9007199254740992;

/** High 32 bits of the unsigned product a·b of two uint32 (exact). */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const lo = a0 * b0;
  const mid1 = a1 * b0;
  const mid2 = a0 * b1;
  const carry = ((lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (a1 * b1 + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

/** (hi, lo) ← (hi, lo) + (bh, bl) mod 2⁶⁴, into H. */
export function add64(hi: number, lo: number, bh: number, bl: number): void {
  const l = (lo >>> 0) + (bl >>> 0);
  H.lo = l >>> 0;
  H.hi = ((hi >>> 0) + (bh >>> 0) + (l >= TWO32 ? 1 : 0)) >>> 0;
}

/** (hi, lo) · (bh, bl) mod 2⁶⁴, into H. */
export function mul64(hi: number, lo: number, bh: number, bl: number): void {
  const h = (mulHi32(lo >>> 0, bl >>> 0) + Math.imul(lo, bh) + Math.imul(hi, bl)) >>> 0;
  H.lo = Math.imul(lo, bl) >>> 0;
  H.hi = h;
}

/** SplitMix64 of (hi, lo), into H. */
export function splitmix64(hi: number, lo: number): void {
  add64(hi, lo, GAMMA_HI, GAMMA_LO);
  let zh = H.hi;
  let zl = H.lo;
  // z ^= z >> 30
  zl = (zl ^ ((zl >>> 30) | (zh << 2))) >>> 0;
  zh = (zh ^ (zh >>> 30)) >>> 0;
  mul64(zh, zl, M1_HI, M1_LO);
  zh = H.hi;
  zl = H.lo;
  // z ^= z >> 27
  zl = (zl ^ ((zl >>> 27) | (zh << 5))) >>> 0;
  zh = (zh ^ (zh >>> 27)) >>> 0;
  mul64(zh, zl, M2_HI, M2_LO);
  zh = H.hi;
  zl = H.lo;
  // z ^= z >> 31
  H.lo = (zl ^ ((zl >>> 31) | (zh << 1))) >>> 0;
  H.hi = (zh ^ (zh >>> 31)) >>> 0;
}

/** Uniform in [0, 1): top 53 bits of splitmix64(id XOR salt) / 2⁵³. */
export function uniform(idHi: number, idLo: number, saltHi: number, saltLo: number): number {
  splitmix64((idHi ^ saltHi) >>> 0, (idLo ^ saltLo) >>> 0);
  return (H.hi * 2097152 + (H.lo >>> 11)) * INV53;
}

const [CHILD_HI, CHILD_LO] = halves(SALT_CHILD);
const [REP_HI, REP_LO] = halves(SALT_REP);

/** Root id of arrival number `n` (1, 2, …) of entry slot `slot`, as a BigInt (oracle). */
export function rootIdBig(seed: bigint, slot: number, n: number): bigint {
  const base = splitmix64Big((BigInt.asUintN(64, seed) + BigInt(slot) * SALT_CHILD) & MASK64);
  return splitmix64Big((base + BigInt(n)) & MASK64);
}

/** Child id for edge `edgeIndex`, repetition `k` of `parent`, as a BigInt (oracle). */
export function childIdBig(parent: bigint, edgeIndex: number, k: number): bigint {
  return splitmix64Big(
    (parent + BigInt(edgeIndex + 1) * SALT_CHILD + BigInt(k) * SALT_REP) & MASK64,
  );
}

/** Root-id base splitmix64(seed + slot·SALT_CHILD) as halves (per slot, computed once). */
export function rootBase(seed: bigint, slot: number): [number, number] {
  return halves(splitmix64Big((BigInt.asUintN(64, seed) + BigInt(slot) * SALT_CHILD) & MASK64));
}

/** Child id for edge `edgeIndex`, repetition `k` of the parent (hi, lo), into H. */
export function childId(parentHi: number, parentLo: number, edgeIndex: number, k: number): void {
  mul64(CHILD_HI, CHILD_LO, 0, edgeIndex + 1);
  const ch = H.hi;
  const cl = H.lo;
  mul64(REP_HI, REP_LO, 0, k);
  const rh = H.hi;
  const rl = H.lo;
  add64(parentHi, parentLo, ch, cl);
  add64(H.hi, H.lo, rh, rl);
  splitmix64(H.hi, H.lo);
}

/** Salt of the edge draw of repetition `k` on edge `edgeIndex`: base + index·step + k·rep (mod 2⁶⁴). */
export function edgeSalt(edgeIndex: number, k: number): bigint {
  return (SALT_EDGE_BASE + BigInt(edgeIndex) * SALT_EDGE_STEP + BigInt(k) * SALT_REP) & MASK64;
}
