/**
 * Worker-thread entry of the server side (server-side.ts): listens, reports
 * its ports, starts on the go signal, and on `stop` closes everything,
 * reports its stats and lets the thread end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LiveJob } from './config.js';
import { ServerSide } from './server-side.js';
import type { TimelinePhase } from './timeline.js';

const port = parentPort;
if (port === null) throw new Error('server-worker.js must run in a worker thread');
const side = new ServerSide((workerData as { job: LiveJob }).job);

const fail = (err: unknown): void => {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
};

port.on('message', (msg: { type: string; t0?: string; timeline?: TimelinePhase[] }) => {
  if (msg.type === 'start') {
    side.start(BigInt(msg.t0!), msg.timeline!);
  } else if (msg.type === 'stop') {
    side.stop().then(
      (stats) => {
        port.postMessage({ type: 'stats', stats });
        port.close();
      },
      (err) => {
        fail(err);
        port.close();
      },
    );
  }
});

side.listen().then((ports) => port.postMessage({ type: 'ready', ports }), fail);
