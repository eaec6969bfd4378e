/**
 * Running jobs: in worker threads (the CLI's default, one job per thread) or
 * in-process (tests), and a scheduler that keeps at most N of them running and
 * returns the results in the order the jobs were given. Any suite's job runs
 * here: the worker looks its `runner` up in `RUNNERS` (src/suites/index.ts).
 */
import { Worker } from 'node:worker_threads';
import type { ChartTrace } from '../report/layout.js';
import { runJobInline } from '../suites/index.js';
import type { Job, ProgressListener, TracedResult } from '../suites/shared/suite.js';

/** Messages a job worker posts to its parent. */
export type WorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'result'; result: unknown };

/** What a worker thread receives as `workerData`. */
export interface WorkerJob {
  runner: string;
  params: unknown;
  /** Also record the run's trace (see `Job.trace`). */
  trace?: boolean;
}

/**
 * Runs one job and resolves with its result. The default executor runs the job
 * in a worker thread; tests inject an in-process one.
 */
export type JobExecutor = (
  job: Job,
  onProgress: ProgressListener,
  signal: AbortSignal,
) => Promise<unknown>;

/** The compiled worker entry point next to this module (`dist/cli/worker.js`). */
export const DEFAULT_WORKER_URL = new URL('./worker.js', import.meta.url);

/** Runs each job in its own worker thread, which exits when the job is done. */
export function workerExecutor(workerUrl: URL = DEFAULT_WORKER_URL): JobExecutor {
  return (job, onProgress, signal) =>
    new Promise<unknown>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Error(`${job.label}: aborted`));
        return;
      }
      const data: WorkerJob = { runner: job.runner, params: job.params };
      if (job.trace === true) data.trace = true;
      const worker = new Worker(workerUrl, { workerData: data });
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = (): void => {
        settle(() => reject(new Error(`${job.label}: aborted`)));
        void worker.terminate();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'progress') {
          if (!settled) onProgress(msg.fraction);
        } else {
          settle(() => resolve(msg.result));
        }
      });
      worker.on('error', (err) => settle(() => reject(err)));
      worker.on('exit', (code) => {
        settle(() =>
          reject(new Error(`${job.label}: worker exited with code ${code} before a result`)),
        );
      });
    });
}

/** Runs each job synchronously in this thread (by default with its registered runner). */
export function inlineExecutor(
  run: (job: Job, onProgress: ProgressListener) => unknown = (job, onProgress) =>
    runJobInline(job, onProgress),
): JobExecutor {
  return async (job, onProgress, signal) => {
    // Yield once so the caller's "started" bookkeeping happens before the run.
    await Promise.resolve();
    if (signal.aborted) throw new Error(`${job.label}: aborted`);
    return run(job, onProgress);
  };
}

export interface JobHooks {
  started?(index: number): void;
  progress?(index: number, fraction: number): void;
  finished?(index: number, result: unknown): void;
}

/**
 * Runs `jobs` with at most `concurrency` at a time, starting them in order.
 * Resolves with the results in job order, whatever order they finish in. The
 * first failure aborts the jobs still running and rejects with that error.
 */
export async function runJobs(
  jobs: readonly Job[],
  executor: JobExecutor,
  concurrency: number,
  hooks: JobHooks = {},
): Promise<unknown[]> {
  const results = new Array<unknown>(jobs.length);
  const done = new Array<boolean>(jobs.length).fill(false);
  const controller = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;

  const lane = async (): Promise<void> => {
    while (failure === undefined && next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      hooks.started?.(index);
      try {
        const result = await executor(
          job,
          (fraction) => hooks.progress?.(index, fraction),
          controller.signal,
        );
        results[index] = result;
        done[index] = true;
        hooks.finished?.(index, result);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          controller.abort();
        }
      }
    }
  };

  const lanes = Math.max(1, Math.min(concurrency, jobs.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== undefined) throw failure.error;
  done.forEach((d, i) => {
    if (!d) throw new Error(`job ${i} produced no result`);
  });
  return results;
}

function isTraced(result: unknown): result is TracedResult {
  return (
    typeof result === 'object' && result !== null && 'tracedResult' in result && 'trace' in result
  );
}

/** The plain result (what the suite's `reduce` expects) and the trace, if the job recorded one. */
export function splitTraced(result: unknown): { result: unknown; trace: ChartTrace | undefined } {
  return isTraced(result)
    ? { result: result.tracedResult, trace: result.trace }
    : { result, trace: undefined };
}
