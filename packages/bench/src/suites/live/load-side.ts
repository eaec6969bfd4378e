/**
 * The open-loop load generator and the governed client of the client part.
 *
 * Open loop: every request has a scheduled time (the Poisson arrivals of
 * timeline.ts) and goes out then, whatever happened to the earlier ones;
 * its latency runs from the scheduled time, so time spent waiting for a
 * free connection, or behind a generator that fell behind, counts
 * (coordinated omission cannot hide queueing). How late each request
 * actually went out (the send lag) is recorded, to show when the generator
 * itself is the bottleneck.
 *
 * Service requests go through an undici `Pool` (`connections` sockets);
 * a client gives up after `clientTimeoutMs` (a sweeper aborts overdue
 * requests in schedule order, one timer for all). Client-part calls use
 * undici's `fetch` on an `Agent`, governed by the run's governor: plainly
 * (`none`), through `@leveejs/levee/fetch` (`levee`) or a `CandidateGate`
 * (everything else), each with the SLO timeout as its deadline.
 *
 * Every loop is bounded by count (the arrivals' bound) and by time (the
 * phases end; outstanding requests are given the client timeout, then the
 * sockets are destroyed).
 */
import { performance } from 'node:perf_hooks';
import { CircuitOpenError } from '@leveejs/levee';
import { createFetch } from '@leveejs/levee/fetch';
import { Agent, Pool, fetch as undiciFetch } from 'undici';
import type { LiveJob } from './config.js';
import {
  CandidateGate,
  createOutOfBand,
  type GatePermit,
  type GovernorSample,
} from './governors.js';
import { leftoverHandles } from './handles.js';
import {
  addGovernorSample,
  emptyGovernorSeconds,
  type GovernorSeconds,
  SAMPLE_MS,
  type ServerPorts,
} from './server-side.js';
import { recoverySeconds } from './stats.js';
import { Arrivals, NS_PER_MS, NS_PER_S, type TimelinePhase, timelineEndNs } from './timeline.js';

/** Request outcomes. */
export const OK = 0;
/** 2xx, later than the SLO timeout. */
export const LATE = 1;
/** A failure status (5xx but 503), a network error. */
export const FAILED = 2;
/** The client gave up (client timeout, or the SLO deadline of a client call). */
export const TIMEOUT = 3;
/** Shed: 503 from the service, or a client call the governor refused. */
export const SHED = 4;
export const OUTCOMES = ['ok', 'late', 'failed', 'timeout', 'shed'] as const;

/** Extra time after the run for the last requests, beyond their own deadline, ms. */
const DRAIN_SLACK_MS = 500;

export interface PhaseLoadStats {
  /** Requests scheduled in the phase, by outcome (`OUTCOMES` order). */
  counts: number[];
  /** Latencies of the requests not shed, ms from their scheduled time (timeouts at the deadline). */
  admittedMs: number[];
  /** Send lags, ms. */
  lagMs: number[];
  /** Event-loop utilisation of the generator's thread during the phase (0–1). */
  elu: number;
  /** Seconds until recovered (recovery phases only; null: not within the phase). */
  recoveryS: number | null;
}

export interface SecondLoadStats {
  /** Requests scheduled in the second. */
  offered: number[];
  /** Completions in the second by outcome (`OUTCOMES` order). */
  counts: number[][];
  /** Latencies (ms) of the requests not shed that completed in the second. */
  admittedMs: number[][];
  /** Highest send lag of a request scheduled in the second, ms (see `lagP99Ms`). */
  lagP99Ms: number[];
}

export interface LoadStats {
  phases: PhaseLoadStats[];
  seconds: SecondLoadStats;
  /** The client-side governor, sampled every SAMPLE_MS. */
  governor: GovernorSeconds;
  /** Requests still outstanding when the sockets were destroyed. */
  abandoned: number;
  openHandles: string[];
}

interface Outstanding {
  deadlineNs: number;
  controller: AbortController;
  done: boolean;
}

interface ClientGovernor {
  call(url: string): Promise<number>;
  sample(): GovernorSample;
}

/** Result of a governed client call when the governor refused it. */
const REFUSED = -1;

function nowRelative(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0);
}

export interface LoadSideConfig {
  job: LiveJob;
  t0: bigint;
  warmup: TimelinePhase;
  timeline: readonly TimelinePhase[];
  ports: ServerPorts;
  onProgress?: (fraction: number) => void;
}

export async function runLoad(config: LoadSideConfig): Promise<LoadStats> {
  const { job, t0, warmup, timeline, ports } = config;
  const clientTimeoutNs = job.load.clientTimeoutMs * NS_PER_MS;
  const sloNs = job.slo.timeoutMs * NS_PER_MS;
  const endNs = timelineEndNs(timeline);
  const rows = Math.ceil(endNs / NS_PER_S) + Math.ceil(job.load.clientTimeoutMs / 1000) + 2;
  const seconds: SecondLoadStats = {
    offered: new Array<number>(rows).fill(0),
    counts: OUTCOMES.map(() => new Array<number>(rows).fill(0)),
    admittedMs: Array.from({ length: rows }, () => []),
    lagP99Ms: new Array<number>(rows).fill(0),
  };
  const lagBySecond: number[][] = Array.from({ length: rows }, () => []);
  const phases: PhaseLoadStats[] = timeline.map(() => ({
    counts: OUTCOMES.map(() => 0),
    admittedMs: [],
    lagMs: [],
    elu: 0,
    recoveryS: null,
  }));
  const recovery = timeline.map(() => ({ offsets: [] as number[], good: [] as boolean[] }));
  const governorSeconds = emptyGovernorSeconds();

  const pool = new Pool(`http://127.0.0.1:${ports.service}`, {
    connections: job.load.connections,
    pipelining: 1,
  });
  const agent = new Agent({ connections: 256, pipelining: 1 });
  const depUrl = `http://127.0.0.1:${ports.dependency}/call`;
  const client = clientGovernor(job, agent, () => Math.max(0, nowRelative(t0) - warmup.startNs));

  let outstanding = 0;
  const sweep: Outstanding[] = [];
  let sweepHead = 0;

  const record = (phase: TimelinePhase, schedNs: number, outcome: number): void => {
    const doneNs = nowRelative(t0);
    if (phase.index < 0) return; // warm-up
    const latencyMs = (doneNs - schedNs) / NS_PER_MS;
    const p = phases[phase.index]!;
    p.counts[outcome]!++;
    const s = Math.min(rows - 1, Math.max(0, Math.floor(doneNs / NS_PER_S)));
    seconds.counts[outcome]![s]!++;
    if (outcome !== SHED) {
      p.admittedMs.push(latencyMs);
      seconds.admittedMs[s]!.push(latencyMs);
    }
    if (phase.recovery) {
      recovery[phase.index]!.offsets.push(schedNs - phase.startNs);
      recovery[phase.index]!.good.push(outcome === OK);
    }
  };

  const okOrLate = (schedNs: number): number => (nowRelative(t0) - schedNs <= sloNs ? OK : LATE);

  const fireService = (phase: TimelinePhase, schedNs: number): void => {
    const entry: Outstanding = {
      deadlineNs: schedNs + clientTimeoutNs,
      controller: new AbortController(),
      done: false,
    };
    sweep.push(entry);
    outstanding++;
    const settle = (outcome: number): void => {
      entry.done = true;
      outstanding--;
      record(phase, schedNs, outcome);
    };
    pool.request({ path: '/work', method: 'GET', signal: entry.controller.signal }).then(
      async ({ statusCode, body }) => {
        try {
          await body.dump();
        } catch {
          settle(entry.controller.signal.aborted ? TIMEOUT : FAILED);
          return;
        }
        if (statusCode >= 200 && statusCode < 300) settle(okOrLate(schedNs));
        else if (statusCode === 503) settle(SHED);
        else settle(FAILED);
      },
      () => settle(entry.controller.signal.aborted ? TIMEOUT : FAILED),
    );
  };

  const fireClient = (phase: TimelinePhase, schedNs: number): void => {
    outstanding++;
    const settle = (outcome: number): void => {
      outstanding--;
      record(phase, schedNs, outcome);
    };
    client.call(depUrl).then(
      (status) => {
        if (status === REFUSED) settle(SHED);
        else if (status >= 200 && status < 300) settle(okOrLate(schedNs));
        else settle(FAILED);
      },
      (err: unknown) => {
        if (err instanceof CircuitOpenError) settle(SHED);
        else if (isTimeout(err)) settle(TIMEOUT);
        else settle(FAILED);
      },
    );
  };

  const runSweep = (now: number): void => {
    while (sweepHead < sweep.length && sweep[sweepHead]!.deadlineNs <= now) {
      const entry = sweep[sweepHead++]!;
      if (!entry.done) entry.controller.abort();
    }
    if (sweepHead > 4096 && sweepHead * 2 > sweep.length) {
      sweep.splice(0, sweepHead);
      sweepHead = 0;
    }
  };

  const all = [warmup, ...timeline];
  let phaseAt = 0;
  let arrivals = new Arrivals(job.seed, all[0]!);
  let next = arrivals.next();
  let elu = performance.eventLoopUtilization();
  const drainUntilNs = endNs + clientTimeoutNs + DRAIN_SLACK_MS * NS_PER_MS;
  let lastProgress = -1;

  const sampler = setInterval(() => {
    const t = nowRelative(t0);
    if (t >= 0 && t < endNs) {
      addGovernorSample(governorSeconds, Math.floor(t / NS_PER_S), client.sample());
    }
  }, SAMPLE_MS);

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowRelative(t0);
      runSweep(now);
      // Send every request that is due; the loop ends when the phases do (bounded by their arrivals).
      while (phaseAt < all.length) {
        const phase = all[phaseAt]!;
        if (next === undefined) {
          if (phase.index >= 0) {
            phases[phase.index]!.elu = performance.eventLoopUtilization(elu).utilization;
          }
          elu = performance.eventLoopUtilization();
          phaseAt++;
          if (phaseAt < all.length) {
            arrivals = new Arrivals(job.seed, all[phaseAt]!);
            next = arrivals.next();
          }
          continue;
        }
        if (next > now) break;
        const sched = next;
        next = arrivals.next();
        if (phase.index >= 0) {
          const lagMs = (now - sched) / NS_PER_MS;
          phases[phase.index]!.lagMs.push(lagMs);
          const s = Math.floor(sched / NS_PER_S);
          seconds.offered[s]!++;
          lagBySecond[s]!.push(lagMs);
        }
        if (phase.part === 'service') fireService(phase, sched);
        else fireClient(phase, sched);
      }
      if (config.onProgress !== undefined && now >= 0) {
        const fraction = Math.min(1, now / Math.max(1, endNs));
        if (fraction - lastProgress >= 0.01) {
          lastProgress = fraction;
          config.onProgress(fraction);
        }
      }
      const scheduling = phaseAt < all.length;
      if (scheduling || (outstanding > 0 && now < drainUntilNs)) {
        setTimeout(tick, 1);
      } else {
        resolve();
      }
    };
    tick();
  });
  clearInterval(sampler);

  const abandoned = outstanding;
  await Promise.allSettled([pool.destroy(), agent.destroy()]);
  for (let s = 0; s < rows; s++) {
    const lags = lagBySecond[s]!;
    seconds.lagP99Ms[s] = lags.length === 0 ? 0 : p99(lags);
  }
  timeline.forEach((phase, i) => {
    if (phase.recovery) {
      const r = recovery[i]!;
      phases[i]!.recoveryS = recoverySeconds(r.offsets, r.good, phase.endNs - phase.startNs);
    }
  });
  // Connections still being set up when the pool was destroyed finish (or fail) once the server
  // side accepts them; give them a few seconds (the run's exit grace is longer).
  const openHandles = await leftoverHandles(3000);
  return { phases, seconds, governor: governorSeconds, abandoned, openHandles };
}

function p99(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)]!;
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The client part's governed call: resolves with the status, REFUSED when the governor refused. */
function clientGovernor(job: LiveJob, agent: Agent, clock: () => number): ClientGovernor {
  const plain = (url: string, init?: RequestInit): Promise<Response> =>
    undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  const read = async (res: Response): Promise<number> => {
    await res.arrayBuffer();
    return res.status;
  };
  const timeoutMs = job.slo.timeoutMs;
  if (job.governor === 'levee') {
    const leveeFetch = createFetch({
      slo: job.slo,
      fetch: ((input: string | URL, init?: RequestInit) =>
        plain(String(input), init)) as typeof globalThis.fetch,
    });
    let origin: string | undefined;
    return {
      call: async (url) => {
        origin ??= new URL(url).origin;
        return read(await leveeFetch(url));
      },
      sample: () => {
        const levee = origin === undefined ? undefined : leveeFetch.registry.peek(origin);
        if (levee === undefined) return { state: 'CLOSED', limit: 0, inflight: 0 };
        const snap = levee.snapshot();
        return { state: snap.state, limit: snap.limit, inflight: snap.inflight };
      },
    };
  }
  const gate = new CandidateGate(createOutOfBand(job.governor, job.slo, job.service.slots), clock);
  return {
    call: async (url) => {
      const permit: GatePermit | undefined = gate.admit();
      if (permit === undefined) return REFUSED;
      try {
        const status = await read(await plain(url, { signal: AbortSignal.timeout(timeoutMs) }));
        permit.finish(status);
        return status;
      } catch (err) {
        permit.fail();
        throw err;
      }
    },
    sample: () => gate.sample(),
  };
}
