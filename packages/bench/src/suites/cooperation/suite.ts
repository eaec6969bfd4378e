/**
 * `levee-bench cooperation` (docs/BENCHMARKS.md §5.6, §5.7 P3): 100 instances of
 * one breaker type share one backend (src/sim/orchestrator/cooperation.ts), one
 * candidate type after another.
 */
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import type { CooperationResult } from '../../sim/orchestrator/cooperation.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import {
  type ClientOptions,
  clientModel,
  RETRY_OPTION,
  TICK_OPTION,
} from '../closed-loop/client-options.js';
import { clientModelJson, roundedResult } from '../closed-loop/format.js';
import { type ClientModel, closedLoopJob } from '../closed-loop/runner.js';
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
import { unsignedInt } from '../shared/option-values.js';
import { deltaRow, publishedBest, roundedRow } from '../shared/scoreboard.js';
import {
  type Job,
  OptionValueError,
  type Suite,
  type SuiteOption,
  type SuiteOptions,
} from '../shared/suite.js';
import { formatCooperationTables } from './format.js';
import { COOPERATION_GUIDE } from './guide.js';
import { PUBLISHED_COOPERATION } from './published.js';
import { COOPERATION_RUNNER, type CooperationParams, cooperationRunner } from './runner.js';

/** The breakers' SLO in the cooperation suite (the upstream code: 0.80, 2,500 ms). */
export const COOPERATION_SLO: Readonly<SloConfig> = { successRate: 0.8, timeoutMs: 2500 };
export const COOPERATION_INSTANCES = 100;

const DEFAULT_CANDIDATES = ['no-cb', 'levee', 'static-bau', 'static-peak'] as const;

interface CooperationOptions extends ClientOptions {
  /** `--instances`: breaker instances sharing the backend. */
  instances: number;
}

const INSTANCES_OPTION: SuiteOption<CooperationOptions> = {
  flag: 'instances',
  value: 'N',
  help: `Breaker instances sharing the backend, 1-10000. Default: ${COOPERATION_INSTANCES}.`,
  field: 'instances',
  parse: (value) => {
    const n = unsignedInt(value, 'a positive integer');
    if (n < 1 || n > 10000) throw new OptionValueError(value, 'must be between 1 and 10000');
    return n;
  },
};

interface CooperationPlan {
  options: SuiteOptions;
  slo: SloConfig;
  candidates: string[];
  instances: number;
  specs: LoadSpec[];
  backend: BackendConfig;
  /** `--retry`, `--tick-ms` (empty when off). */
  model: ClientModel;
  /** The published setup, SLO and fleet size: the reference figures apply. */
  published: boolean;
}

export const cooperationSuite: Suite<
  CooperationParams,
  CooperationResult,
  CooperationPlan,
  CooperationOptions
> = {
  name: 'cooperation',
  summary: '100 breaker instances of each type sharing one backend',
  description: `Runs 100 instances of one breaker type in front of ONE shared backend, for each
candidate type in turn (docs/BENCHMARKS.md §5.6/§5.7 P3), as if a fleet of app
instances each had its own breaker. The arrival stream is the dispatcher's;
request n (0-based) goes to instance n mod 100. Each instance counts its own
requests in flight; completions go back to the instance that admitted them.
One epoch scorer scores all completions (so Deltas compare with the isolated
run); Allowed and Blocked are summed, MaxConc is the largest per-instance
value. The breakers' SLO is 0.80 with a 2,500 ms timeout; requests still time
out at 1,500 ms.`,
  options: [
    'candidates',
    INSTANCES_OPTION,
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
  defaults: { slo: '0.80', 'timeout-ms': '2500' },
  guide: COOPERATION_GUIDE,
  runners: { [COOPERATION_RUNNER]: cooperationRunner },

  plan(options) {
    const slo = singleSlo(options, COOPERATION_SLO);
    const instances = options.instances ?? COOPERATION_INSTANCES;
    return {
      options,
      slo,
      candidates: chosenCandidates(options, DEFAULT_CANDIDATES),
      instances,
      specs: jobSpecs(options),
      backend: jobBackend(options),
      model: clientModel(options),
      published:
        Object.keys(clientModel(options)).length === 0 &&
        isPublishedSetup(options) &&
        slo.successRate === COOPERATION_SLO.successRate &&
        slo.timeoutMs === COOPERATION_SLO.timeoutMs &&
        instances === COOPERATION_INSTANCES,
    };
  },

  jobs(plan) {
    const n = plan.instances;
    return plan.candidates.map((c): Job<CooperationParams> => {
      const label = `${displayName(c)} x ${n}`;
      const base = closedLoopJob(
        c,
        plan.options.seed,
        plan.specs,
        plan.backend,
        plan.slo,
        label,
        plan.model,
      );
      return {
        runner: COOPERATION_RUNNER,
        params: { ...base.params, instances: n },
        label: base.label,
        cost: base.cost,
      };
    });
  },

  reduce(plan, results) {
    const row = deltaRow(
      'cooperation',
      `${plan.instances} instances`,
      results,
      plan.published
        ? { levee: PUBLISHED_COOPERATION.Levee!, ...publishedBest(PUBLISHED_COOPERATION) }
        : undefined,
    );
    return {
      text: formatCooperationTables(results),
      json: {
        suite: 'cooperation',
        config: {
          ...configJson(plan.options, plan.candidates),
          slo: plan.slo,
          instances: plan.instances,
          ...clientModelJson(plan.model),
        },
        results: results.map((r) => ({ ...roundedResult(r), instances: r.instances })),
        scoreboard: row === undefined ? [] : [roundedRow(row)],
      },
      scoreboard: row === undefined ? [] : [row],
    };
  },

  clockStartS: (plan) => workloadClockStart(plan.options),
};
