/**
 * HPA-style capacity controller of the closed-loop backend (docs/BENCHMARKS.md
 * §5.4 "Autoscaler"), on virtual time in integer nanoseconds.
 *
 * Demand: admitted requests are counted in a window that closes at the first
 * request at least `demandWindow` after the window's first request; then
 * rps = s·(count/span) + (1−s)·rps (the closing request counted, the next
 * window starting at its timestamp with count 0).
 *
 * `tick(now)`: pending replicas go live once now > readyAt (strict); then, at
 * most once per evaluation interval (the first call evaluates), a utilisation
 * sample rps / (throughput × live) joins a history pruned to the scale-down
 * window, and target = clamp(ceil(rps / (targetUtil × throughput))). Scale up
 * to the target (new replicas pending, the provisioning timer restarted for
 * all pending); scale down only outside the delay after a scale-up and only if
 * every sample in the window is below targetUtil × factor.
 */
import { type BackendConfig, secondsToNs } from './backend-config.js';

const NS_PER_S = 1_000_000_000;

/** Go's `time.Duration.Seconds()`: whole seconds plus the remainder / 1e9. */
export function durationSeconds(ns: number): number {
  const whole = Math.trunc(ns / NS_PER_S);
  const rest = ns - whole * NS_PER_S;
  return whole + rest / 1e9;
}

export class Autoscaler {
  /** Replicas serving traffic. */
  live: number;
  /** Replicas ordered but not yet live. */
  pending = 0;
  /** Time after which pending replicas go live (strictly after). */
  readyAtNs = 0;
  /** Smoothed demand estimate, requests per second. */
  rps = 0;

  readonly #minReplicas: number;
  readonly #maxReplicas: number;
  readonly #throughput: number;
  readonly #targetCapacity: number;
  readonly #scaleDownBelow: number;
  readonly #smoothing: number;
  readonly #demandWindowNs: number;
  readonly #evalIntervalNs: number;
  readonly #historyNs: number;
  readonly #scaleDownDelayNs: number;
  readonly #lagNs: number;

  #windowStartNs = 0;
  #windowCount = 0;
  #windowOpen = false;

  #evaluated = false;
  #lastEvalNs = 0;
  #scaledUp = false;
  #lastScaleUpNs = 0;

  /** Utilisation history as a ring of (time, value) pairs. */
  #histTime: Float64Array;
  #histValue: Float64Array;
  #histHead = 0;
  #histLen = 0;

  constructor(config: BackendConfig) {
    this.#minReplicas = config.minReplicas;
    this.#maxReplicas = config.maxReplicas;
    this.#throughput = config.throughputPerReplica;
    this.#targetCapacity = config.targetUtilization * config.throughputPerReplica;
    this.#scaleDownBelow = config.targetUtilization * config.scaleDownUtilizationFactor;
    this.#smoothing = config.demandSmoothing;
    this.#demandWindowNs = secondsToNs(config.demandWindowS);
    this.#evalIntervalNs = secondsToNs(config.evaluationIntervalS);
    this.#historyNs = secondsToNs(config.scaleDownWindowS);
    this.#scaleDownDelayNs = secondsToNs(config.scaleDownDelayS);
    this.#lagNs = secondsToNs(config.provisioningLagS);
    this.live = config.minReplicas;
    const cap = 64;
    this.#histTime = new Float64Array(cap);
    this.#histValue = new Float64Array(cap);
  }

  /** Count one admitted request at `nowNs` in the demand estimate. */
  recordRequest(nowNs: number): void {
    if (!this.#windowOpen) {
      this.#windowOpen = true;
      this.#windowStartNs = nowNs;
    }
    this.#windowCount++;
    const spanNs = nowNs - this.#windowStartNs;
    if (spanNs >= this.#demandWindowNs) {
      const rate = this.#windowCount / durationSeconds(spanNs);
      this.rps = this.#smoothing * rate + (1 - this.#smoothing) * this.rps;
      this.#windowStartNs = nowNs;
      this.#windowCount = 0;
    }
  }

  /** Promote ready replicas, then evaluate if the interval has passed. */
  tick(nowNs: number): void {
    if (this.pending > 0 && nowNs > this.readyAtNs) {
      this.live += this.pending;
      this.pending = 0;
    }
    if (this.#evaluated && nowNs - this.#lastEvalNs < this.#evalIntervalNs) return;
    this.#evaluated = true;
    this.#lastEvalNs = nowNs;

    this.#pushSample(nowNs, this.rps / (this.#throughput * this.live));

    let target = Math.ceil(this.rps / this.#targetCapacity);
    if (target < this.#minReplicas) target = this.#minReplicas;
    if (target > this.#maxReplicas) target = this.#maxReplicas;

    if (target > this.live + this.pending) {
      this.pending = target - this.live;
      this.readyAtNs = nowNs + this.#lagNs;
      this.#scaledUp = true;
      this.#lastScaleUpNs = nowNs;
    } else if (target < this.live) {
      if (this.#scaledUp && nowNs - this.#lastScaleUpNs < this.#scaleDownDelayNs) return;
      if (this.#allSamplesBelow(this.#scaleDownBelow)) {
        this.live = Math.max(target, this.#minReplicas);
      }
    }
  }

  /** After a crash: back to the minimum, nothing pending, no scale-up remembered. */
  resetAfterCrash(): void {
    this.live = this.#minReplicas;
    this.pending = 0;
    this.#scaledUp = false;
    this.#lastScaleUpNs = 0;
  }

  /** Number of utilisation samples currently in the window (for tests). */
  get historyLength(): number {
    return this.#histLen;
  }

  #pushSample(nowNs: number, utilization: number): void {
    if (this.#histLen === this.#histTime.length) this.#growHistory();
    const cap = this.#histTime.length;
    const at = (this.#histHead + this.#histLen) % cap;
    this.#histTime[at] = nowNs;
    this.#histValue[at] = utilization;
    this.#histLen++;
    const oldest = nowNs - this.#historyNs;
    while (this.#histLen > 0 && this.#histTime[this.#histHead]! < oldest) {
      this.#histHead = (this.#histHead + 1) % cap;
      this.#histLen--;
    }
  }

  #allSamplesBelow(limit: number): boolean {
    const cap = this.#histTime.length;
    for (let i = 0; i < this.#histLen; i++) {
      if (!(this.#histValue[(this.#histHead + i) % cap]! < limit)) return false;
    }
    return true;
  }

  #growHistory(): void {
    const cap = this.#histTime.length;
    const time = new Float64Array(cap * 2);
    const value = new Float64Array(cap * 2);
    for (let i = 0; i < this.#histLen; i++) {
      time[i] = this.#histTime[(this.#histHead + i) % cap]!;
      value[i] = this.#histValue[(this.#histHead + i) % cap]!;
    }
    this.#histTime = time;
    this.#histValue = value;
    this.#histHead = 0;
  }
}
