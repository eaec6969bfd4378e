/**
 * Worker-thread entry of one live run (control.ts), started by the runner
 * (runner.ts): posts progress and the result (or the error) on the port it
 * was given, and bumps the shared counter after each message so the runner,
 * blocked in `Atomics.wait`, wakes at once.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import type { LiveJob } from './config.js';
import { runLive } from './control.js';
import { leftoverHandles } from './handles.js';

const { job, port, signal } = workerData as {
  job: LiveJob;
  port: MessagePort;
  signal: SharedArrayBuffer;
};
const flag = new Int32Array(signal);

const post = (msg: unknown): void => {
  port.postMessage(msg);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
};

runLive(job, (fraction) => post({ type: 'progress', fraction }))
  .then(async (result) => {
    // This thread is the run's own: anything it still holds is a leak of the run.
    for (const h of await leftoverHandles()) result.leftovers.push(`control thread: ${h}`);
    return result;
  })
  .then(
    (result) => {
      post({ type: 'result', result });
      port.close();
    },
    (err: unknown) => {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      port.close();
    },
  );
