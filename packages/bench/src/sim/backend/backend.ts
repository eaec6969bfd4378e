/**
 * The closed-loop backend (docs/BENCHMARKS.md §5.4): an HPA-style autoscaler, a
 * worker pool with a bounded FIFO queue, a load EWMA driving latency and error
 * degradation, a crash/restart model and a latency generator, composed on
 * virtual time (integer nanoseconds in JS numbers).
 *
 * The orchestrator calls `advance(t)` at every arrival (blocked ones too) and
 * `submit(t, spec)` for admitted requests; completions are delivered, in
 * completion-time order, to a `CompletionSink` when `advance` passes them.
 *
 * - `advance(now)`: if crashed and due, recover (HPA reset, pool resized; no
 *   tick); otherwise, when not crashed, tick the autoscaler and resize the
 *   pool. Then deliver every completion with time ≤ now.
 * - `submit(now)`: while crashed, fail at now + timeout without drawing.
 *   Otherwise record demand, tick, resize, draw the nominal service time, drain
 *   the queue, update the load EWMA, check for a crash, then: free slot →
 *   occupy it (queue drop if the scaled service time reaches the timeout);
 *   full queue → shed; else queue with the replayed wait (queue drop if wait +
 *   scaled time reaches the timeout). OK requests roll the overload error (if
 *   its rate is > 0) and then the baseline error. Shed, dropped and crash-time
 *   requests fail at now + timeout reporting the timeout as latency.
 *
 * Two additions, both off unless asked for (so the published runs are
 * unchanged): fault windows (`config.faults` and the specs' `faults`,
 * src/sim/workload/faults.ts) decide first in `submit` — a fast failure or a
 * hang never reaches the pool, a `slow` window multiplies the nominal service
 * time — and the `completionTickNs` option delivers completions in event-loop
 * ticks (each at ceil(t / tick) × tick, stamped with that time).
 */

import {
  FaultSchedule,
  type FaultWindow,
  runFaultWindows,
  VERDICT_FAST_FAIL,
  VERDICT_HANG,
  VERDICT_NONE,
  VERDICT_SLOW,
} from '../workload/faults.js';
import type { LoadSpec } from '../workload/load-spec.js';
import { Autoscaler } from './autoscaler.js';
import { type BackendConfig, resolveBackendConfig, secondsToNs } from './backend-config.js';
import { CompletionQueue } from './completion-queue.js';
import { CrashModel } from './crash.js';
import { extraErrorRate, latencyMultiplier } from './degradation-curves.js';
import { LatencyGenerator, slotsByLittlesLaw } from './latency-generator.js';
import { LoadEwma } from './load-ewma.js';
import { WorkerPool } from './worker-pool.js';

/** Receives delivered completions. */
export interface CompletionSink {
  complete(timeNs: number, latencyNs: number, ok: boolean, tag: number): void;
}

/** Counts kept by the backend at submit time (crash flips are not recounted). */
export interface BackendStats {
  requests: number;
  successes: number;
  failures: number;
  shed: number;
  queueDrops: number;
  crashes: number;
  /** Calls a fault window failed (fast failures and hangs); present only when the run has fault windows. */
  faulted?: number;
}

/** Options of the backend that are not part of its configuration. */
export interface BackendOptions {
  /**
   * Event-loop batching of completions (docs/BENCHMARKS.md §9.3): a completion
   * due at t is delivered at the end of its tick, ceil(t / tick) × tick,
   * stamped with that time (its latency grows by the same amount);
   * completions of one tick come out in due order. 0 or absent: off.
   */
  completionTickNs?: number;
}

export class Backend {
  readonly config: Readonly<BackendConfig>;
  /** Worker slots per replica actually used. */
  readonly slotsPerReplica: number;

  requests = 0;
  successes = 0;
  failures = 0;
  shed = 0;
  queueDrops = 0;
  /** Calls failed by a fault window (fast failures and hangs). */
  faulted = 0;

  readonly #autoscaler: Autoscaler;
  readonly #pool: WorkerPool;
  readonly #ewma: LoadEwma;
  readonly #crash: CrashModel;
  readonly #latency: LatencyGenerator;
  readonly #completions: CompletionQueue;
  /** Submit time at which each new spec index was first seen (for crash flips). */
  readonly #specFirstSeenNs: number[] = [];
  readonly #specSeen: number[] = [];
  #lastSpec = -1;
  readonly #timeoutAtSubmit = (submitTimeNs: number): number => this.#timeoutAt(submitTimeNs);
  /** The run's fault windows (undefined: none declared, the fault model is off). */
  readonly #faults: FaultSchedule | undefined;
  /** Event-loop tick, ns (0: completions delivered at their own times). */
  readonly #tickNs: number;

  constructor(
    specs: readonly LoadSpec[],
    seed: number,
    overrides: Partial<BackendConfig> = {},
    options: BackendOptions = {},
  ) {
    const config = resolveBackendConfig(overrides);
    this.config = config;
    const windows = runFaultWindows(specs, config.faults ?? []);
    this.#faults = windows.length > 0 ? new FaultSchedule(windows, seed) : undefined;
    const tick = options.completionTickNs ?? 0;
    if (!Number.isSafeInteger(tick) || tick < 0) {
      throw new RangeError(`completionTickNs must be a non-negative integer (got ${tick})`);
    }
    this.#tickNs = tick;
    this.#latency = new LatencyGenerator(specs, seed);
    this.slotsPerReplica =
      config.slotsPerReplica === 'littles-law'
        ? slotsByLittlesLaw(specs, config.throughputPerReplica)
        : config.slotsPerReplica;
    this.#autoscaler = new Autoscaler(config);
    this.#pool = new WorkerPool(
      this.slotsPerReplica,
      config.queueDepthPerReplica,
      this.#autoscaler.live,
    );
    this.#ewma = new LoadEwma(secondsToNs(config.loadHalfLifeS), config.loadEwmaLn2);
    this.#crash = new CrashModel(
      config.crashLoadThreshold,
      secondsToNs(config.crashSustainS),
      secondsToNs(config.crashDowntimeS),
    );
    this.#completions = new CompletionQueue();
  }

  /** Crashes counted so far (each at its recovery). */
  get crashes(): number {
    return this.#crash.crashes;
  }

  /** Live replicas. */
  get replicas(): number {
    return this.#autoscaler.live;
  }

  /** True while crashed (until the recovery is noticed). */
  get crashed(): boolean {
    return this.#crash.crashed;
  }

  /** Total worker slots. */
  get slots(): number {
    return this.#pool.slots;
  }

  /** Requests waiting in the worker-pool queue. */
  get queued(): number {
    return this.#pool.queued;
  }

  /** Current EWMA load. */
  get load(): number {
    return this.#ewma.value;
  }

  /** Completions scheduled but not yet delivered. */
  get pendingCompletions(): number {
    return this.#completions.size;
  }

  /** The run's fault windows in run time (empty when the fault model is off). */
  get faultWindows(): readonly FaultWindow[] {
    return this.#faults?.windows ?? [];
  }

  /** The event-loop tick, ns (0: off). */
  get completionTickNs(): number {
    return this.#tickNs;
  }

  stats(): BackendStats {
    const stats: BackendStats = {
      requests: this.requests,
      successes: this.successes,
      failures: this.failures,
      shed: this.shed,
      queueDrops: this.queueDrops,
      crashes: this.#crash.crashes,
    };
    if (this.#faults !== undefined) stats.faulted = this.faulted;
    return stats;
  }

  /**
   * When the next pending completion will be delivered (its own time, or with
   * event-loop batching the end of its tick); +∞ when none is pending.
   */
  nextDeliveryNs(): number {
    const t = this.#completions.peekTimeNs();
    const tick = this.#tickNs;
    if (tick === 0 || t === Number.POSITIVE_INFINITY) return t;
    const r = t % tick;
    return r === 0 ? t : t - r + tick;
  }

  /**
   * Move backend time to `nowNs` (may be +∞ for the final drain) and deliver
   * every completion due by then to `sink`.
   */
  advance(nowNs: number, sink: CompletionSink): void {
    const crash = this.#crash;
    if (crash.crashed) {
      if (crash.recoverIfDue(nowNs)) this.#recover();
    } else if (nowNs !== Number.POSITIVE_INFINITY) {
      const autoscaler = this.#autoscaler;
      autoscaler.tick(nowNs);
      this.#pool.resize(autoscaler.live);
    }
    const completions = this.#completions;
    const tick = this.#tickNs;
    if (tick === 0) {
      while (completions.size > 0 && completions.peekTimeNs() <= nowNs) {
        completions.pop();
        sink.complete(
          completions.poppedTimeNs,
          completions.poppedLatencyNs,
          completions.poppedOk,
          completions.poppedTag,
        );
      }
      return;
    }
    // Event-loop batching: due at t, delivered at ceil(t / tick) × tick, which
    // is <= now exactly when t <= floor(now / tick) × tick (integers).
    const limit = nowNs === Number.POSITIVE_INFINITY ? nowNs : nowNs - (nowNs % tick);
    while (completions.size > 0 && completions.peekTimeNs() <= limit) {
      completions.pop();
      const t = completions.poppedTimeNs;
      const r = t % tick;
      const delivered = r === 0 ? t : t - r + tick;
      sink.complete(
        delivered,
        completions.poppedLatencyNs + (delivered - t),
        completions.poppedOk,
        completions.poppedTag,
      );
    }
  }

  /** An admitted request of spec `specIndex` arrives at `nowNs`; `tag` is echoed on its completion. */
  submit(nowNs: number, specIndex: number, tag = 0): void {
    this.requests++;
    if (specIndex !== this.#lastSpec) {
      this.#lastSpec = specIndex;
      this.#specFirstSeenNs.push(nowNs);
      this.#specSeen.push(specIndex);
    }
    const latencyGen = this.#latency;
    const timeoutNs = latencyGen.timeoutNs(specIndex);
    let slowFactor = 1;
    const faults = this.#faults;
    if (faults !== undefined) {
      const verdict = faults.decide(nowNs);
      if (verdict !== VERDICT_NONE) {
        if (verdict === VERDICT_SLOW) {
          slowFactor = faults.slowFactor;
        } else {
          // A fast failure or a hang: the call never reaches the pool.
          this.faulted++;
          this.failures++;
          if (verdict === VERDICT_FAST_FAIL) {
            this.#completions.pushFailure(nowNs + faults.failNs, faults.failNs, tag);
          } else if (verdict === VERDICT_HANG) {
            this.#completions.pushFailure(nowNs + timeoutNs, timeoutNs, tag);
          }
          return;
        }
      }
    }
    const crash = this.#crash;
    if (crash.crashed) {
      if (crash.recoverIfDue(nowNs)) {
        this.#recover();
      } else {
        this.#timeoutFailure(nowNs, timeoutNs, tag);
        return;
      }
    }

    const autoscaler = this.#autoscaler;
    const pool = this.#pool;
    autoscaler.recordRequest(nowNs);
    autoscaler.tick(nowNs);
    pool.resize(autoscaler.live);

    let nominalNs = latencyGen.nominalNs(specIndex);
    if (slowFactor !== 1) nominalNs = Math.trunc(nominalNs * slowFactor);
    pool.drain(nowNs);
    const load = this.#ewma.update(nowNs, (pool.busyCount(nowNs) + pool.queued) / pool.slots);
    if (crash.observe(nowNs, load)) {
      pool.crash(crash.recoverAtNs);
      this.#completions.failAllSuccesses(this.#timeoutAtSubmit);
      this.#timeoutFailure(nowNs, timeoutNs, tag);
      return;
    }

    const multiplier = latencyMultiplier(load);
    let latencyNs: number;
    if (pool.hasFreeSlot()) {
      pool.occupy(nowNs, nominalNs);
      latencyNs = Math.trunc(nominalNs * multiplier);
    } else if (pool.queued >= pool.queueLimit) {
      this.shed++;
      this.#timeoutFailure(nowNs, timeoutNs, tag);
      return;
    } else {
      const waitNs = pool.enqueue(nowNs, nominalNs);
      latencyNs = waitNs + Math.trunc(nominalNs * multiplier);
    }
    if (latencyNs >= timeoutNs) {
      this.queueDrops++;
      this.#timeoutFailure(nowNs, timeoutNs, tag);
      return;
    }

    const extra = extraErrorRate(load);
    let ok = true;
    if (extra > 0 && latencyGen.roll() < extra) ok = false;
    else if (latencyGen.roll() < latencyGen.baselineErrorRate(specIndex)) ok = false;
    if (ok) this.successes++;
    else this.failures++;
    this.#completions.push(nowNs + latencyNs, latencyNs, ok, tag);
  }

  /** Shed, queue drop or crash: a failure at now + timeout reporting the timeout. */
  #timeoutFailure(nowNs: number, timeoutNs: number, tag: number): void {
    this.failures++;
    this.#completions.pushFailure(nowNs + timeoutNs, timeoutNs, tag);
  }

  /** Timeout (ns) of the request submitted at `submitTimeNs` (the spec seen last at or before it). */
  #timeoutAt(submitTimeNs: number): number {
    const times = this.#specFirstSeenNs;
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= submitTimeNs) lo = mid;
      else hi = mid - 1;
    }
    return this.#latency.timeoutNs(this.#specSeen[lo] ?? 0);
  }

  /** Recovery from a crash: fresh pool and load, HPA back to the minimum. */
  #recover(): void {
    this.#pool.reset();
    this.#ewma.resetValue();
    const autoscaler = this.#autoscaler;
    autoscaler.resetAfterCrash();
    this.#pool.resize(autoscaler.live);
  }
}
