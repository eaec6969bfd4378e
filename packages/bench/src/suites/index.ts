/**
 * The suites `levee-bench` knows, in the order `levee-bench all` runs them and
 * lists them on the scoreboard (the order of the published "21 configurations":
 * isolated, 7 load variations, cooperation, 5 SLOs, 5 queue depths, prescient,
 * mesh; then the suites added since: faults), and the runner table made of
 * their runners: a job's `runner` is a key of `RUNNERS`, looked up by the
 * worker thread (src/cli/worker.ts) and the in-process executor.
 */

import { closedLoopSuite } from './closed-loop/suite.js';
import { cooperationSuite } from './cooperation/suite.js';
import { faultsSuite } from './faults/suite.js';
import { liveSuite } from './live/suite.js';
import { loadVariationSuite } from './load-variation/suite.js';
import { meshSuite } from './mesh/suite.js';
import { prescientSuite } from './prescient/suite.js';
import { queueDepthSuite } from './queue-depth/suite.js';
import type { JobRunner, ProgressListener, Suite, TracedResult } from './shared/suite.js';
import { sloSweepSuite } from './slo-sweep/suite.js';

// biome-ignore lint/suspicious/noExplicitAny: suites have different param/result/plan/option types
export type AnySuite = Suite<any, any, any, any>;

export const SUITES: readonly AnySuite[] = [
  closedLoopSuite,
  loadVariationSuite,
  cooperationSuite,
  sloSweepSuite,
  queueDepthSuite,
  prescientSuite,
  meshSuite,
  faultsSuite,
  liveSuite,
];

/**
 * Every runner of `suites` by name. Several suites may bring the same runner
 * (the sweeps run the closed-loop one); two different runners under one name
 * are an error.
 */
export function runnerTable(suites: readonly AnySuite[]): Readonly<Record<string, JobRunner>> {
  const table: Record<string, JobRunner> = {};
  for (const suite of suites) {
    for (const [name, runner] of Object.entries(suite.runners as Record<string, JobRunner>)) {
      const known = Object.hasOwn(table, name) ? table[name] : undefined;
      if (known !== undefined && known !== runner) {
        throw new Error(`two different runners are named ${JSON.stringify(name)}`);
      }
      table[name] = runner;
    }
  }
  return table;
}

export const RUNNERS = runnerTable(SUITES);

/**
 * Runs `job` in this thread with its registered runner. A job marked `trace`
 * whose runner records returns a `TracedResult`; otherwise the plain result.
 */
export function runJobInline(
  job: { runner: string; params: unknown; trace?: boolean },
  onProgress: ProgressListener = () => {},
): unknown {
  const runner = Object.hasOwn(RUNNERS, job.runner) ? RUNNERS[job.runner] : undefined;
  if (runner === undefined) throw new Error(`no runner named ${JSON.stringify(job.runner)}`);
  const recording = job.trace === true ? runner.recording : undefined;
  if (recording === undefined) return runner.run(job.params, onProgress);
  const recorder = recording.recorder(job.params);
  const result = runner.run(job.params, onProgress, recorder);
  const traced: TracedResult = { tracedResult: result, trace: recording.trace(recorder, result) };
  return traced;
}
