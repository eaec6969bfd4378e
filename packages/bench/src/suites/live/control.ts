/**
 * One live run, end to end: the server side in one worker thread, the load
 * generator in another (so neither event loop delays the other), the
 * health prober here. Every step has a deadline; at the end every socket is
 * closed, each thread reports what it still holds, and a thread that does
 * not exit by itself within a grace period is terminated (and named in the
 * result's `leftovers`).
 *
 * Runs in the control worker (control-worker.ts, started by the runner) or
 * directly in any async context.
 */
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { type LiveJob, phasesSeconds } from './config.js';
import type { LoadStats } from './load-side.js';
import { assembleResult, type HealthProbe, type LiveRunResult } from './result.js';
import type { ServerPorts, ServerStats } from './server-side.js';
import {
  buildTimeline,
  NS_PER_MS,
  type TimelinePhase,
  timelineEndNs,
  warmupPhase,
} from './timeline.js';

/** Time for the threads to start and listen, ms. */
const STARTUP_DEADLINE_MS = 30_000;
/** Lead between the go signal and the warm-up, so both threads are ready, ms. */
const LEAD_MS = 200;
/** Time a thread gets to report and exit after its work, ms. */
const EXIT_GRACE_MS = 5_000;
/** A health probe is given up after this long (and counts at it), ms. */
const HEALTH_DEADLINE_MS = 2_000;

/**
 * The compiled worker entry `file` next to this module; from the TypeScript
 * sources (tests) the compiled one in dist/ (workers cannot run .ts files).
 */
export function workerUrl(file: string): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) return new URL(`../../../dist/suites/live/${file}`, here);
  return new URL(`./${file}`, here);
}

/** Wall-clock budget of a run, ms: startup, warm-up, phases, drain, exits. */
export function runBudgetMs(job: LiveJob): number {
  return (
    STARTUP_DEADLINE_MS +
    LEAD_MS +
    job.load.warmupMs +
    phasesSeconds(job.phases) * 1000 +
    job.load.clientTimeoutMs +
    1000 +
    3 * EXIT_GRACE_MS
  );
}

type Message = { type: string; [key: string]: unknown };

/** A worker and a queue of its messages, with deadlines. */
class Thread {
  readonly worker: Worker;
  readonly #queue: Message[] = [];
  readonly #waiters: Array<() => void> = [];
  #failure: Error | undefined;
  #exited = false;
  readonly exit: Promise<void>;

  constructor(
    file: string,
    workerData: unknown,
    readonly name: string,
  ) {
    this.worker = new Worker(workerUrl(file), { workerData });
    this.worker.on('message', (msg: Message) => {
      if (msg.type === 'error') this.#failure ??= new Error(`${name}: ${String(msg.message)}`);
      else this.#queue.push(msg);
      this.#wake();
    });
    this.worker.on('error', (err) => {
      this.#failure ??= new Error(`${name}: ${err.message}`);
      this.#wake();
    });
    this.exit = new Promise((resolve) => {
      this.worker.once('exit', () => {
        this.#exited = true;
        this.#wake();
        resolve();
      });
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  post(msg: unknown): void {
    this.worker.postMessage(msg);
  }

  /** The next message of `type` (others are passed to `other`), within `ms`. */
  async next(type: string, ms: number, other?: (msg: Message) => void): Promise<Message> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      while (this.#queue.length > 0) {
        const msg = this.#queue.shift()!;
        if (msg.type === type) return msg;
        other?.(msg);
      }
      if (this.#exited) throw new Error(`${this.name} exited before sending "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no "${type}" within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the thread to exit by itself; terminates it after `ms`. True if it exited by itself. */
  async ended(ms: number): Promise<boolean> {
    if (this.#exited) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      this.exit.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), ms);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return true;
    await this.worker.terminate();
    return false;
  }
}

/** Runs `job`; `onProgress` gets the fraction of the phases done. */
export async function runLive(
  job: LiveJob,
  onProgress: (fraction: number) => void = () => {},
): Promise<LiveRunResult> {
  const loadStart = loadavg()[0] ?? 0;
  const timeline = buildTimeline(job.phases, job.service, job.load);
  const warmup = warmupPhase(job.service, job.load.warmupMs);
  const endNs = timelineEndNs(timeline);
  const runMs = job.load.warmupMs + endNs / NS_PER_MS;
  const server = new Thread('server-worker.js', { job }, 'server thread');
  let load: Thread | undefined;
  const health: HealthProbe[] = [];
  let healthPool: Pool | undefined;
  let healthTimer: ReturnType<typeof setInterval> | undefined;
  const leftovers: string[] = [];
  try {
    const ready = await server.next('ready', STARTUP_DEADLINE_MS);
    const ports = ready.ports as ServerPorts;
    // t0: the first phase starts after the lead and the warm-up.
    const t0 =
      process.hrtime.bigint() + BigInt(Math.round((LEAD_MS + job.load.warmupMs) * NS_PER_MS));
    const all: TimelinePhase[] = [warmup, ...timeline];
    server.post({ type: 'start', t0: String(t0), timeline: all });
    load = new Thread(
      'load-worker.js',
      { job, t0: String(t0), warmup, timeline, ports },
      'load-generator thread',
    );

    // Health probes, sent at a fixed pace from this thread, timed from their send.
    healthPool = new Pool(`http://127.0.0.1:${ports.health}`, { connections: 4 });
    const pool = healthPool;
    healthTimer = setInterval(() => {
      const sent = process.hrtime.bigint();
      const tNs = Number(sent - t0);
      if (tNs < 0 || tNs >= endNs) return;
      const signal = AbortSignal.timeout(HEALTH_DEADLINE_MS);
      const done = (): void => {
        health.push({ tNs, ms: Number(process.hrtime.bigint() - sent) / NS_PER_MS });
      };
      pool.request({ path: '/health', method: 'GET', signal }).then(
        async ({ body }) => {
          await body.dump().catch(() => {});
          done();
        },
        () => health.push({ tNs, ms: HEALTH_DEADLINE_MS }),
      );
    }, job.load.healthEveryMs);

    const loadStats = (
      await load.next('stats', LEAD_MS + runMs + job.load.clientTimeoutMs + 10_000, (msg) => {
        if (msg.type === 'progress') onProgress(msg.fraction as number);
      })
    ).stats as LoadStats;
    clearInterval(healthTimer);
    healthTimer = undefined;
    await healthPool.destroy();
    healthPool = undefined;

    server.post({ type: 'stop' });
    const serverStats = (await server.next('stats', EXIT_GRACE_MS)).stats as ServerStats;
    for (const h of serverStats.openHandles) leftovers.push(`server thread: ${h}`);
    for (const h of loadStats.openHandles) leftovers.push(`load-generator thread: ${h}`);
    const [serverExited, loadExited] = await Promise.all([
      server.ended(EXIT_GRACE_MS),
      load.ended(EXIT_GRACE_MS),
    ]);
    if (!serverExited) leftovers.push('server thread: terminated (did not exit by itself)');
    if (!loadExited) leftovers.push('load-generator thread: terminated (did not exit by itself)');
    onProgress(1);
    return assembleResult({
      job,
      timeline,
      load: loadStats,
      server: serverStats,
      health,
      loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
      leftovers,
    });
  } finally {
    if (healthTimer !== undefined) clearInterval(healthTimer);
    await healthPool?.destroy().catch(() => {});
    if (!server.exited) await server.worker.terminate();
    if (load !== undefined && !load.exited) await load.worker.terminate();
  }
}
