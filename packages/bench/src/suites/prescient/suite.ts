/**
 * `levee-bench prescient`: the open-loop "prescient" suite (docs/BENCHMARKS.md §4).
 * One job per candidate (runner `prescient`, `runPrescientJob`), each
 * replaying the load generator's event stream against one breaker; `reduce`
 * adds the oracle's estimate row and renders the table, the JSON and the
 * scoreboard row.
 *
 * Registered by `prescientSuite` in `SUITES` (src/suites/index.ts), which
 * brings its runner along.
 */
import { BENCH_SEED } from '../../sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import { type ClientOptions, TICK_OPTION } from '../closed-loop/client-options.js';
import {
  chosenCandidates,
  displayName,
  jobCost,
  type SloConfig,
  singleSlo,
  workloadClockStart,
} from '../shared/jobs.js';
import type { Job, JobRunner, Suite, SuiteOptions } from '../shared/suite.js';
import {
  checkSameStream,
  formatPrescientTable,
  formatPublishedTable,
  formatTransitionLog,
  prescientJson,
  prescientRows,
  prescientScoreboardRow,
} from './format.js';
import { PRESCIENT_GUIDE } from './guide.js';
import { type PrescientCandidateResult, type PrescientJob, runPrescientJob } from './runner.js';
import { PrescientTraceRecorder } from './trace.js';

/** The runner name of the suite's jobs. */
export const PRESCIENT_RUNNER = 'prescient';

/** Upstream's setup: SLO 0.90 for the oracle and Levee, 1,500 ms. */
export const PRESCIENT_SLO = Object.freeze({ successRate: 0.9, timeoutMs: 1500 });

const DEFAULT_CANDIDATES = ['levee', 'static-bau', 'static-peak'] as const;

/** Runs a job; with a `PrescientTraceRecorder`, also records its per-second trace. */
export const prescientRunner: JobRunner<
  PrescientJob,
  PrescientCandidateResult,
  PrescientTraceRecorder
> = {
  run: runPrescientJob,
  recording: {
    recorder: () => new PrescientTraceRecorder(),
    trace: (recorder) => recorder.trace(),
  },
};

interface PrescientPlan {
  options: SuiteOptions;
  slo: SloConfig;
  candidates: string[];
  /** The specs a job replays: the chosen slice of the workload, as given. */
  specs: LoadSpec[];
  /** `--tick-ms`: event-loop batching of completions; undefined: off. */
  tickMs: number | undefined;
  /** Upstream's published setup: the published figures apply. */
  published: boolean;
}

function configurationLabel(plan: PrescientPlan): string {
  const { options } = plan;
  const n = options.specs.last - options.specs.first + 1;
  const all = n === options.workload.specs.length;
  return `${options.workload.name}${all ? '' : ` specs ${options.specs.first}-${options.specs.last}`}, SLO ${plan.slo.successRate}`;
}

export const prescientSuite: Suite<
  PrescientJob,
  PrescientCandidateResult,
  PrescientPlan,
  Pick<ClientOptions, 'tickMs'>
> = {
  name: 'prescient',
  summary: 'open loop: every breaker replays the same request stream, scored against an oracle',
  description: `Replays the load generator's open-loop event stream (docs/BENCHMARKS.md §1.2, §4)
against each breaker: at every request start the breaker admits or rejects, at
every completion of an admitted request it is told the outcome and duration.
Decisions never change outcomes. An oracle ("Prescient") knows the workload: it
is OPEN exactly while the current spec's error rate exceeds 1 - SLO.

Scoring per request start, in 1-second buckets of stream time: BadTraffic =
sqrt(sum of (admitted while the oracle is OPEN)^2 per second), LostBusiness =
sqrt(sum of (rejected while the oracle is CLOSED)^2 per second), TotalPenalty =
their sum (lower is better). Changes of the effective state (THROTTLED and
HALF_OPEN count as OPEN) are classified: Flap (reopened < 60 s after closing),
FalseAlarm (no oracle-OPEN time within 5 s), LateDetect (> 1 s after the oracle
opened). The Prescient row estimates what the oracle blocks.

Buckets start at the first arrival (t = 0), so runs are exactly repeatable;
upstream's buckets follow wall-clock seconds, so its penalties vary a little
from run to run (decision counts do not).`,
  options: [
    'candidates',
    'slo',
    'timeout-ms',
    'seed',
    'specs',
    'workload',
    TICK_OPTION,
    'json',
    'out',
    'jobs',
  ],
  defaultCandidates: DEFAULT_CANDIDATES,
  defaults: { slo: '0.90', 'timeout-ms': '1500' },

  guide: PRESCIENT_GUIDE,
  runners: { [PRESCIENT_RUNNER]: prescientRunner },

  plan(options) {
    const slo = singleSlo(options, PRESCIENT_SLO);
    return {
      options,
      slo,
      candidates: chosenCandidates(options, DEFAULT_CANDIDATES),
      specs: options.workload.specs.slice(options.specs.first, options.specs.last + 1),
      tickMs: options.tickMs,
      published:
        options.tickMs === undefined &&
        options.workload.builtin &&
        options.specs.first === 0 &&
        options.specs.last === options.workload.specs.length - 1 &&
        options.seed === BENCH_SEED &&
        slo.successRate === PRESCIENT_SLO.successRate &&
        slo.timeoutMs === PRESCIENT_SLO.timeoutMs,
    };
  },

  jobs(plan) {
    return plan.candidates.map(
      (candidate): Job<PrescientJob> => ({
        runner: PRESCIENT_RUNNER,
        params: {
          candidate,
          seed: plan.options.seed,
          slo: plan.slo,
          workload: plan.specs,
          ...(plan.tickMs === undefined ? {} : { tickMs: plan.tickMs }),
        },
        label: `prescient / ${displayName(candidate)}`,
        cost: jobCost(candidate, plan.specs),
      }),
    );
  },

  reduce(plan, results) {
    checkSameStream(results);
    const { options, published, candidates, slo } = plan;
    const table = formatPrescientTable(prescientRows(results));
    const notes = `
BadTraffic = sqrt(sum over seconds of requests admitted while the oracle is OPEN, squared);
LostBusiness = the same for requests rejected while the oracle is CLOSED; lower is better.
Flap / FalseAlarm / LateDetect count classified changes of the effective state
(THROTTLED and HALF_OPEN count as OPEN); the JSON has every category and the log.
Buckets are anchored at the first arrival; upstream's follow wall-clock seconds,
so its penalties differ slightly between runs (decision counts do not).
`;
    const publishedText = published
      ? `\nPublished (upstream 04824ae):\n${formatPublishedTable()}`
      : '';
    const row = prescientScoreboardRow(results, configurationLabel(plan), published);
    return {
      text: table + notes + publishedText,
      json: prescientJson(
        {
          seed: options.seed,
          workload: options.workload.name,
          specs: { first: options.specs.first, last: options.specs.last },
          slo,
          candidates,
          published,
          ...(plan.tickMs === undefined ? {} : { tickMs: plan.tickMs }),
        },
        results,
      ),
      scoreboard: row === undefined ? [] : [row],
      files: [{ name: 'prescient-transitions.txt', content: formatTransitionLog(results) }],
    };
  },

  clockStartS: (plan) => workloadClockStart(plan.options),
};
