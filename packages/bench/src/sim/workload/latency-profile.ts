/**
 * The load generator's piecewise latency distribution (docs/BENCHMARKS.md §1.2
 * step 4, §5.4 "latency generator"), as a function of one uniform x ∈ [0, 1):
 *
 * - x ≤ 0.99: `y = a + b·x / (1 − c·x)` with `a = p50/2`,
 *   `c = (1.49·p50 − p99) / (0.99·(p50 − p99))`, `b = p50·(1 − 0.5·c)`;
 *   passes through (0, p50/2), (0.5, p50), (0.99, p99);
 * - x > 0.99: the straight line `y = p99 + slope·(x − 0.99)` with
 *   `slope = (timeout − p99)/0.01`, reaching the timeout at x = 1.
 *
 * Coefficients are computed once per spec, in exactly the float64 operation
 * order written above; `b·x` is formed before the division. No clamping is
 * applied here: the open-loop generator clamps successes to ≤ 0.99·timeout,
 * the closed-loop backend clamps to [0, timeout] (both do it themselves).
 */
export class LatencyProfile {
  /** `p50/2`. */
  readonly a: number;
  /** `p50·(1 − 0.5·c)`. */
  readonly b: number;
  /** `(1.49·p50 − p99) / (0.99·(p50 − p99))`. */
  readonly c: number;
  /** Tail slope `(timeout − p99)/0.01`, ms per unit of x. */
  readonly slope: number;

  constructor(
    readonly p50Ms: number,
    readonly p99Ms: number,
    readonly timeoutMs: number,
  ) {
    this.a = p50Ms / 2;
    this.c = (1.49 * p50Ms - p99Ms) / (0.99 * (p50Ms - p99Ms));
    this.b = p50Ms * (1 - 0.5 * this.c);
    this.slope = (timeoutMs - p99Ms) / 0.01;
  }

  /** Latency in ms for the uniform draw `x`. */
  sampleMs(x: number): number {
    if (x <= 0.99) {
      return this.a + (this.b * x) / (1 - this.c * x);
    }
    return this.p99Ms + this.slope * (x - 0.99);
  }

  /** Mean of the distribution, ms (see `analyticMeanMs`). */
  meanMs(): number {
    return analyticMeanMs(this.p50Ms, this.p99Ms, this.timeoutMs);
  }
}

/**
 * Analytic mean (∫₀¹ y(x) dx) of the latency distribution, ms:
 * `0.99·a + b·∫₀^0.99 x/(1 − c·x) dx + 0.01·(p99 + timeout)/2`, where
 * `∫₀^X x/(1 − c·x) dx = (−c·X − ln(1 − c·X)) / c²` (series near c = 0).
 * For 50/150/1500 ms this is 67.652… ms, which gives the closed-loop worker
 * pool `ceil(150 × 0.067652) = 11` slots per replica (§5.4). The success clamp
 * of the open-loop generator (≤ 0.99·timeout) is not included.
 */
export function analyticMeanMs(p50Ms: number, p99Ms: number, timeoutMs: number): number {
  const a = p50Ms / 2;
  const c = (1.49 * p50Ms - p99Ms) / (0.99 * (p50Ms - p99Ms));
  const b = p50Ms * (1 - 0.5 * c);
  const X = 0.99;
  const u = c * X;
  let integral: number;
  if (Math.abs(u) < 1e-4) {
    // (−u − ln(1 − u))/c² = X²·(1/2 + u/3 + u²/4 + u³/5 + …)
    integral = X * X * (0.5 + u * (1 / 3 + u * (0.25 + u * 0.2)));
  } else {
    integral = (-u - Math.log1p(-u)) / (c * c);
  }
  return X * a + b * integral + (0.01 * (p99Ms + timeoutMs)) / 2;
}
