/**
 * Worker-thread entry of the load generator (load-side.ts): runs the load,
 * posts progress and then its stats, and lets the thread end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type LoadSideConfig, runLoad } from './load-side.js';

const port = parentPort;
if (port === null) throw new Error('load-worker.js must run in a worker thread');
// The generator must not be the bottleneck: its errors (timeouts, resets) need no stack traces.
Error.stackTraceLimit = 0;
const data = workerData as Omit<LoadSideConfig, 't0' | 'onProgress'> & { t0: string };

runLoad({
  ...data,
  t0: BigInt(data.t0),
  onProgress: (fraction) => port.postMessage({ type: 'progress', fraction }),
}).then(
  (stats) => {
    port.postMessage({ type: 'stats', stats });
    port.close();
  },
  (err: unknown) => {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    port.close();
  },
);
