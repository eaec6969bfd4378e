// biome-ignore-all lint/correctness/noPrecisionLoss: the coefficients are quoted with the digits of the published paper
/**
 * The standard normal quantile function Φ⁻¹ (the "probit").
 *
 * Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3), 1988): three
 * rational approximations (central region, intermediate tail, far tail) with
 * relative accuracy of about 1e-16 over the whole double range. The
 * coefficients are the published constants of the paper.
 */

const SPLIT1 = 0.425;
const SPLIT2 = 5;
const CONST1 = 0.180625;
const CONST2 = 1.6;

// Central region, |p − 0.5| ≤ 0.425.
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const;
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
] as const;
// Intermediate tail, r = sqrt(−ln(min(p, 1 − p))) ≤ 5.
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833,
  7.7454501427834140764e-4,
] as const;
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.1481039764274800745,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const;
// Far tail, r > 5.
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.2965605718285048912,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5,
  2.01033439929228813265e-7,
] as const;
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
  2.04426310338993978564e-15,
] as const;

function ratio(num: readonly number[], den: readonly number[], x: number): number {
  let n = 0;
  let d = 0;
  for (let i = 7; i >= 0; i--) {
    n = n * x + num[i]!;
    d = d * x + den[i]!;
  }
  return n / d;
}

/**
 * Φ⁻¹(p): the z with P(Z ≤ z) = p for a standard normal Z.
 * p ≤ 0 gives −∞, p ≥ 1 gives +∞, NaN gives NaN.
 */
export function probit(p: number): number {
  if (Number.isNaN(p)) return Number.NaN;
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= SPLIT1) {
    const r = CONST1 - q * q;
    return q * ratio(A, B, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  const z = r <= SPLIT2 ? ratio(C, D, r - CONST2) : ratio(E, F, r - SPLIT2);
  return q < 0 ? -z : z;
}
