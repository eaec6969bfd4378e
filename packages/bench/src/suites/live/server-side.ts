/**
 * Everything on the server side of a run, in one thread: the governed
 * service (its worker pool and governor), its health endpoint and the
 * client part's dependency; the phase switches (the dependency's mode, the
 * dependency going down and back); the optional crash on sustained
 * overload; and the per-second samples of the server (governor state,
 * limit and inflight, queue, heap, event-loop delay).
 *
 * `server-worker.ts` runs it in its own worker thread; tests run it
 * in-process.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { CandidateState } from '../../candidates/candidate.js';
import type { LiveJob } from './config.js';
import type { GovernorSample } from './governors.js';
import { leftoverHandles } from './handles.js';
import { type ServiceInstance, startDependency, startHealth, startService } from './servers.js';
import { DependencyHandler, WorkerPool } from './service.js';
import { NS_PER_MS, NS_PER_S, type TimelinePhase } from './timeline.js';

/** Sampling period of the server's state, ms (ten samples per second). */
export const SAMPLE_MS = 100;

const STATE_INDEX: Readonly<Record<CandidateState, number>> = {
  CLOSED: 0,
  THROTTLED: 1,
  HALF_OPEN: 2,
  OPEN: 3,
};

/** Per-second samples of one side (server or load generator), second s = [s, s + 1) after t0. */
export interface GovernorSeconds {
  /** Samples taken in the second. */
  samples: number[];
  /** Samples per state: CLOSED, THROTTLED, HALF_OPEN, OPEN. */
  states: [number[], number[], number[], number[]];
  /** Last inflight limit sampled (0: none enforced). */
  limit: number[];
  /** Lowest and highest inflight limit sampled while one was enforced (absent: none). */
  limitMin: number[];
  limitMax: number[];
  /** Highest inflight sampled. */
  inflight: number[];
}

export function emptyGovernorSeconds(): GovernorSeconds {
  return {
    samples: [],
    states: [[], [], [], []],
    limit: [],
    limitMin: [],
    limitMax: [],
    inflight: [],
  };
}

/** Adds one governor sample to second `s`. */
export function addGovernorSample(g: GovernorSeconds, s: number, sample: GovernorSample): void {
  g.samples[s] = (g.samples[s] ?? 0) + 1;
  const i = STATE_INDEX[sample.state];
  const states = g.states[i]!;
  states[s] = (states[s] ?? 0) + 1;
  g.limit[s] = sample.limit;
  if (sample.limit > 0) {
    g.limitMin[s] = Math.min(g.limitMin[s] ?? sample.limit, sample.limit);
    g.limitMax[s] = Math.max(g.limitMax[s] ?? 0, sample.limit);
  }
  g.inflight[s] = Math.max(g.inflight[s] ?? 0, sample.inflight);
}

export interface ServerStats {
  governor: GovernorSeconds;
  /** Highest queue length sampled. */
  queue: number[];
  /** Highest used heap sampled, MB. */
  heapMb: number[];
  /** Event-loop delay p99 in the second, ms. */
  eldP99Ms: number[];
  /** Share of the second's samples taken while the service was down (crashed). */
  down: number[];
  /** Crashes: start and end, seconds after t0 (end: restart, or the end of the run). */
  crashes: Array<{ startS: number; endS: number }>;
  /** Service outcomes counted by the pool (every instance), and requests a full queue turned away. */
  served: { ok: number; errors: number; timeouts: number; rejected: number };
  /** Active handles left once everything was closed (should be none). */
  openHandles: string[];
}

export interface ServerPorts {
  service: number;
  health: number;
  dependency: number;
}

export class ServerSide {
  readonly #job: LiveJob;
  #pool: WorkerPool;
  #service: ServiceInstance | undefined;
  #health: Awaited<ReturnType<typeof startHealth>> | undefined;
  #dep: Awaited<ReturnType<typeof startDependency>> | undefined;
  readonly #handler: DependencyHandler;
  #t0 = 0n;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #sampler: ReturnType<typeof setInterval> | undefined;
  readonly #eld = monitorEventLoopDelay({ resolution: 10 });
  #eldSecond = -1;
  #down = false;
  #overSinceNs: number | undefined;
  #generation = 0;
  #stopped = false;
  #servicePort = 0;
  readonly #totals = { ok: 0, errors: 0, timeouts: 0, rejected: 0 };
  readonly stats: ServerStats = {
    governor: emptyGovernorSeconds(),
    queue: [],
    heapMb: [],
    eldP99Ms: [],
    down: [],
    crashes: [],
    served: { ok: 0, errors: 0, timeouts: 0, rejected: 0 },
    openHandles: [],
  };

  constructor(job: LiveJob) {
    this.#job = job;
    this.#pool = new WorkerPool(job.service, job.seed);
    this.#handler = new DependencyHandler(job.load.depServiceMs);
  }

  /** Integer ns since t0 (negative before it). */
  nowNs(): number {
    return Number(process.hrtime.bigint() - this.#t0);
  }

  /** Starts the three listeners; resolves with their ports. */
  async listen(): Promise<ServerPorts> {
    this.#service = await this.#startService(0);
    this.#servicePort = this.#service.port;
    this.#health = await startHealth();
    this.#dep = await startDependency(this.#handler);
    return { service: this.#servicePort, health: this.#health.port, dependency: this.#dep.port };
  }

  #startService(port: number): Promise<ServiceInstance> {
    const job = this.#job;
    return startService({
      flavour: job.flavour,
      governor: job.governor,
      slo: job.slo,
      oracleLimit: job.service.slots,
      pool: this.#pool,
      clock: () => Math.max(0, this.nowNs() + this.#warmupNs()),
      port,
    });
  }

  /** The candidates' clock starts at the warm-up (their times are never negative). */
  #warmupNs(): number {
    return Math.round(this.#job.load.warmupMs * NS_PER_MS);
  }

  /** Schedules the phases (`timeline` includes the warm-up) relative to `t0` and starts sampling. */
  start(t0: bigint, timeline: readonly TimelinePhase[]): void {
    this.#t0 = t0;
    for (const phase of timeline) {
      const delayMs = Math.max(0, (phase.startNs - this.nowNs()) / NS_PER_MS);
      this.#after(delayMs, () => this.#enter(phase));
    }
    this.#eld.enable();
    this.#sampler = setInterval(() => this.#sample(), SAMPLE_MS);
  }

  #after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) fn();
    }, ms);
    this.#timers.add(timer);
  }

  #enter(phase: TimelinePhase): void {
    if (phase.part === 'service') {
      this.#pool.mode = phase.mode;
      this.#handler.mode = 'ok';
      void this.#dep?.setDown(false);
    } else {
      this.#pool.mode = 'ok';
      this.#handler.mode = phase.mode === 'refused' ? 'ok' : phase.mode;
      void this.#dep?.setDown(phase.mode === 'refused');
    }
  }

  #sample(): void {
    const t = this.nowNs();
    if (t < 0 || this.#stopped) return;
    const s = Math.floor(t / NS_PER_S);
    const st = this.stats;
    if (s !== this.#eldSecond) {
      if (this.#eldSecond >= 0) this.#flushEld();
      this.#eldSecond = s;
    }
    st.down[s] = (st.down[s] ?? 0) + (this.#down ? 1 : 0);
    if (this.#down || this.#service === undefined) {
      addGovernorSample(st.governor, s, { state: 'OPEN', limit: 0, inflight: 0 });
    } else {
      addGovernorSample(st.governor, s, this.#service.sample());
    }
    const queued = this.#pool.queued;
    st.queue[s] = Math.max(st.queue[s] ?? 0, queued);
    const heapMb = getHeapStatistics().used_heap_size / (1024 * 1024);
    st.heapMb[s] = Math.max(st.heapMb[s] ?? 0, heapMb);
    this.#checkCrash(t, queued);
  }

  #flushEld(): void {
    const s = this.#eldSecond;
    this.stats.eldP99Ms[s] = this.#eld.count > 0 ? this.#eld.percentile(99) / NS_PER_MS : 0;
    this.#eld.reset();
  }

  /** Crash when the queue has held at least `crashQueue` requests for `crashAfterMs`. */
  #checkCrash(t: number, queued: number): void {
    const cfg = this.#job.service;
    if (cfg.crashQueue <= 0 || this.#down) return;
    if (queued < cfg.crashQueue) {
      this.#overSinceNs = undefined;
      return;
    }
    this.#overSinceNs ??= t;
    if (t - this.#overSinceNs < cfg.crashAfterMs * NS_PER_MS) return;
    this.#overSinceNs = undefined;
    this.#crash(t);
  }

  #crash(t: number): void {
    this.#down = true;
    const crash = { startS: t / NS_PER_S, endS: t / NS_PER_S };
    this.stats.crashes.push(crash);
    const old = this.#service;
    this.#service = undefined;
    this.#addServed(this.#pool);
    this.#pool.destroy();
    void old?.close();
    const generation = ++this.#generation;
    this.#after(this.#job.service.crashDownMs, () => {
      // A restarted process: a fresh pool and a fresh governor on the same port.
      this.#pool = new WorkerPool(this.#job.service, this.#job.seed + generation);
      void this.#startService(this.#servicePort).then(
        (instance) => {
          if (this.#stopped) {
            void instance.close();
            return;
          }
          this.#service = instance;
          this.#down = false;
          crash.endS = this.nowNs() / NS_PER_S;
        },
        () => {
          // The port could not be taken again: the service stays down.
        },
      );
    });
  }

  #addServed(pool: WorkerPool): void {
    this.#totals.ok += pool.served.ok;
    this.#totals.errors += pool.served.errors;
    this.#totals.timeouts += pool.served.timeouts;
    this.#totals.rejected += pool.rejected;
  }

  /** Stops and closes everything; resolves with the stats. */
  async stop(): Promise<ServerStats> {
    if (this.#stopped) return this.stats;
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.#sampler !== undefined) clearInterval(this.#sampler);
    if (this.#eldSecond >= 0) this.#flushEld();
    this.#eld.disable();
    const end = this.nowNs() / NS_PER_S;
    for (const c of this.stats.crashes) if (c.endS === c.startS) c.endS = end;
    this.#addServed(this.#pool);
    this.#pool.destroy();
    this.#handler.destroy();
    await Promise.all([this.#service?.close(), this.#health?.close(), this.#dep?.close()]);
    this.stats.served = { ...this.#totals };
    this.stats.openHandles = await leftoverHandles();
    return this.stats;
  }
}
