/**
 * `levee-bench closed-loop`: the reference ("isolated") run of docs/BENCHMARKS.md
 * §5.7 P1 — each candidate behind its own dedicated backend.
 */
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import {
  chosenCandidates,
  configJson,
  displayName,
  isPublishedSetup,
  jobBackend,
  jobSpecs,
  type SloConfig,
  singleSlo,
  workloadClockStart,
} from '../shared/jobs.js';
import { deltaRow, publishedBest, roundedRow } from '../shared/scoreboard.js';
import type { Suite, SuiteOptions } from '../shared/suite.js';
import { type ClientOptions, clientModel, RETRY_OPTION, TICK_OPTION } from './client-options.js';
import { clientModelJson, formatClosedLoopTables, roundedResult } from './format.js';
import { DELTA_GUIDE } from './guide.js';
import { PUBLISHED_REFERENCE } from './published.js';
import {
  CLOSED_LOOP_RUNNER,
  type ClientModel,
  type ClosedLoopParams,
  closedLoopJob,
  closedLoopRunner,
} from './runner.js';

export const CLOSED_LOOP_SLO: Readonly<SloConfig> = { successRate: 0.9, timeoutMs: 1500 };

const DEFAULT_CANDIDATES = ['no-cb', 'levee', 'static-bau', 'static-peak'] as const;

interface ClosedLoopPlan {
  options: SuiteOptions;
  slo: SloConfig;
  candidates: string[];
  specs: LoadSpec[];
  backend: BackendConfig;
  /** `--retry`, `--tick-ms` (empty when off). */
  model: ClientModel;
  /** The published setup and SLO: the reference figures apply. */
  published: boolean;
}

export const closedLoopSuite: Suite<
  ClosedLoopParams,
  ClosedLoopResult,
  ClosedLoopPlan,
  ClientOptions
> = {
  name: 'closed-loop',
  summary: 'the reference run: each candidate behind its own autoscaling backend',
  description: `Simulates the workload (by default the 28-hour Cyber Monday scenario, 122 load
specs) through a dispatcher, an orchestrator guarded by one circuit breaker,
and an autoscaling backend that can be overloaded into crashing — one isolated
backend per candidate — and prints the candidates table and the backend table
(docs/BENCHMARKS.md §5.7 P1). All time is virtual; results depend only on the
options. Scoring: Delta = (SuccessScore - FailureScore) x Allowed / (Allowed +
Blocked), with the scores the root of the summed squared per-200-ms-epoch
counts; higher is better.`,
  options: [
    'candidates',
    'seed',
    'specs',
    'workload',
    'backend',
    'slo',
    'timeout-ms',
    RETRY_OPTION,
    TICK_OPTION,
    'json',
    'out',
    'jobs',
  ],
  defaultCandidates: DEFAULT_CANDIDATES,
  defaults: { slo: '0.90', 'timeout-ms': '1500' },
  guide: DELTA_GUIDE,
  runners: { [CLOSED_LOOP_RUNNER]: closedLoopRunner },

  plan(options) {
    const slo = singleSlo(options, CLOSED_LOOP_SLO);
    return {
      options,
      slo,
      candidates: chosenCandidates(options, DEFAULT_CANDIDATES),
      specs: jobSpecs(options),
      backend: jobBackend(options),
      model: clientModel(options),
      published:
        Object.keys(clientModel(options)).length === 0 &&
        isPublishedSetup(options) &&
        slo.successRate === CLOSED_LOOP_SLO.successRate &&
        slo.timeoutMs === CLOSED_LOOP_SLO.timeoutMs,
    };
  },

  jobs(plan) {
    return plan.candidates.map((c) =>
      closedLoopJob(
        c,
        plan.options.seed,
        plan.specs,
        plan.backend,
        plan.slo,
        displayName(c),
        plan.model,
      ),
    );
  },

  reduce(plan, results) {
    const row = deltaRow(
      'closed-loop',
      'isolated (reference run)',
      results,
      plan.published
        ? { levee: PUBLISHED_REFERENCE.Levee!, ...publishedBest(PUBLISHED_REFERENCE) }
        : undefined,
    );
    return {
      text: formatClosedLoopTables(results),
      json: {
        suite: 'closed-loop',
        config: {
          ...configJson(plan.options, plan.candidates),
          slo: plan.slo,
          ...clientModelJson(plan.model),
        },
        results: results.map(roundedResult),
        scoreboard: row === undefined ? [] : [roundedRow(row)],
      },
      scoreboard: row === undefined ? [] : [row],
    };
  },

  clockStartS: (plan) => workloadClockStart(plan.options),
};
