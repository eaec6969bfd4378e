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
 */
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

  constructor(specs: readonly LoadSpec[], seed: number, overrides: Partial<BackendConfig> = {}) {
    const config = resolveBackendConfig(overrides);
    this.config = config;
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

  stats(): BackendStats {
    return {
      requests: this.requests,
      successes: this.successes,
      failures: this.failures,
      shed: this.shed,
      queueDrops: this.queueDrops,
      crashes: this.#crash.crashes,
    };
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
    while (completions.size > 0 && completions.peekTimeNs() <= nowNs) {
      completions.pop();
      sink.complete(
        completions.poppedTimeNs,
        completions.poppedLatencyNs,
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

    const nominalNs = latencyGen.nominalNs(specIndex);
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
