/**
 * Worker-thread entry point: runs the one job in `workerData` with its
 * registered runner and posts throttled progress, then the result, to the
 * parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJobInline } from '../suites/index.js';
import type { WorkerJob, WorkerMessage } from './executor.js';

/** Post progress only after this much more of the run is done. */
const PROGRESS_STEP = 0.002;

const port = parentPort;
if (port === null) throw new Error('cli/worker.js must run in a worker thread');

const post = (msg: WorkerMessage): void => port.postMessage(msg);
let lastPosted = Number.NEGATIVE_INFINITY;
const result = runJobInline(workerData as WorkerJob, (fraction) => {
  if (fraction - lastPosted >= PROGRESS_STEP || (fraction >= 1 && lastPosted < 1)) {
    lastPosted = fraction;
    post({ type: 'progress', fraction });
  }
});
post({ type: 'result', result });
