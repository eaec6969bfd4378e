/**
 * The live suite's job runner. The suite framework's runners are
 * synchronous (a job runs to completion in its worker thread), and a live
 * run needs an event loop, so the runner starts the run in a worker thread
 * of its own (control-worker.ts) and blocks in `Atomics.wait` until the run
 * posts its result, waking at each message to pass progress on. A hard
 * deadline (the run's whole budget) ends it in any case.
 *
 * Live runs must not overlap (they would compete for the same cores and
 * measure each other), while the CLI runs up to one job per core at once:
 * a lock file per process (in the system's temporary directory, named by
 * the process id) lets one live run go at a time; the others wait their
 * turn. A lock older than twice a run's budget is stale (left by a process
 * that died) and is taken over.
 */
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { JobRunner, ProgressListener } from '../shared/suite.js';
import type { LiveJob } from './config.js';
import { runBudgetMs, workerUrl } from './control.js';
import type { LiveRunResult } from './result.js';
import { liveTrace } from './trace.js';

/** Poll period while waiting for the lock, ms. */
const LOCK_POLL_MS = 20;
/** Longest blocking wait between two looks at the port, ms (messages wake it earlier). */
const WAIT_MS = 250;

/** Blocks this thread for `ms`. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The lock file of this process. */
export function lockPath(): string {
  return join(tmpdir(), `levee-bench-live-${process.pid}.lock`);
}

/**
 * Takes this process's live-run lock, waiting at most `waitMs`; returns its
 * release. Throws when the wait is over.
 */
export function acquireRunLock(waitMs: number, staleMs: number): () => void {
  const path = lockPath();
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - statSync(path).mtimeMs > staleMs) {
        rmSync(path, { force: true });
        continue;
      }
    } catch {
      continue; // released meanwhile
    }
    if (Date.now() > deadline) {
      throw new Error(`another live run of this process still holds ${path}`);
    }
    sleep(LOCK_POLL_MS);
  }
}

/** Runs one live job to completion, blocking this thread. */
export function runLiveJob(job: LiveJob, onProgress: ProgressListener): LiveRunResult {
  const budgetMs = runBudgetMs(job);
  // Two lanes of the CLI: at most one run ahead of this one, plus this one's own margin.
  const release = acquireRunLock(2 * budgetMs, 2 * budgetMs);
  try {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    const worker = new Worker(workerUrl('control-worker.js'), {
      workerData: { job, port: port2, signal },
      transferList: [port2],
    });
    const deadline = Date.now() + budgetMs;
    try {
      for (;;) {
        const seen = Atomics.load(flag, 0);
        const got = receiveMessageOnPort(port1);
        if (got !== undefined) {
          const msg = got.message as {
            type: string;
            fraction?: number;
            result?: LiveRunResult;
            message?: string;
          };
          if (msg.type === 'progress') onProgress(msg.fraction ?? 0);
          else if (msg.type === 'result') return msg.result!;
          else if (msg.type === 'error') throw new Error(`live run failed: ${msg.message}`);
          continue;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `live run ${job.flavour} / ${job.governor} did not finish within its ${Math.round(budgetMs / 1000)} s budget`,
          );
        }
        Atomics.wait(flag, 0, seen, WAIT_MS);
      }
    } finally {
      port1.close();
      void worker.terminate();
    }
  } finally {
    release();
  }
}

/** The runner: a traced run builds its trace from the result's per-second table. */
export const liveRunner: JobRunner<LiveJob, LiveRunResult, null> = {
  run: (params, onProgress) => runLiveJob(params, onProgress),
  recording: {
    recorder: () => null,
    trace: (_recorder, result) => liveTrace(result),
  },
};
