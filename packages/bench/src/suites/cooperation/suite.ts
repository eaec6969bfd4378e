/**
 * `levee-bench cooperation` (BENCHMARKS.md §5.6, §5.7 P3): 100 instances of
 * one breaker type share one backend (src/sim/orchestrator/cooperation.ts), one
 * candidate type after another.
 */
import type { CooperationResult } from '../../sim/orchestrator/cooperation.js';
import { singleSlo } from '../closed-loop/suite.js';
import {
  type CooperationParams,
  chosenCandidates,
  closedLoopJob,
  configJson,
  deltaRow,
  displayName,
  fixed2,
  formatTable,
  isPublishedSetup,
  jobBackend,
  jobSpecs,
  roundedResult,
  roundedRow,
  type SloConfig,
} from '../common.js';
import { PUBLISHED_COOPERATION, publishedBest } from '../published.js';
import type { Job, Suite, SuiteOptions } from '../suite.js';

/** The breakers' SLO in the cooperation suite (the upstream code: 0.80, 2,500 ms). */
export const COOPERATION_SLO: Readonly<SloConfig> = { successRate: 0.8, timeoutMs: 2500 };
export const COOPERATION_INSTANCES = 100;

const DEFAULT_CANDIDATES = ['no-cb', 'levee', 'static-bau', 'static-peak'] as const;

function instances(options: SuiteOptions): number {
  return options.instances ?? COOPERATION_INSTANCES;
}

export function formatCooperationTables(results: readonly CooperationResult[]): string {
  const main = formatTable(
    [
      'CB Type',
      'Inst',
      'Blocked',
      'Allowed',
      'Successes',
      'Failures',
      'SuccessScore',
      'FailureScore',
      'Delta',
      'MaxConc',
      'Crashes',
    ],
    results.map((r) => [
      r.candidate,
      String(r.instances),
      String(r.blocked),
      String(r.allowed),
      String(r.successes),
      String(r.failures),
      fixed2(r.successScore),
      fixed2(r.failureScore),
      fixed2(r.delta),
      String(r.maxConcurrency),
      String(r.backend.crashes),
    ]),
    [11],
  );
  const backend = formatTable(
    ['Backend', 'Requests', 'Successes', 'Failures', 'Shed', 'QueueDrops', 'Crashes'],
    results.map((r) => [
      r.candidate,
      ...[
        r.backend.requests,
        r.backend.successes,
        r.backend.failures,
        r.backend.shed,
        r.backend.queueDrops,
        r.backend.crashes,
      ].map(String),
    ]),
    [11],
  );
  return `${main}\n${backend}`;
}

export const cooperationSuite: Suite<CooperationParams, CooperationResult> = {
  name: 'cooperation',
  summary: '100 breaker instances of each type sharing one backend',
  description: `Runs 100 instances of one breaker type in front of ONE shared backend, for each
candidate type in turn (BENCHMARKS.md §5.6/§5.7 P3), as if a fleet of app
instances each had its own breaker. The arrival stream is the dispatcher's;
request n (0-based) goes to instance n mod 100. Each instance counts its own
requests in flight; completions go back to the instance that admitted them.
One epoch scorer scores all completions (so Deltas compare with the isolated
run); Allowed and Blocked are summed, MaxConc is the largest per-instance
value. The breakers' SLO is 0.80 with a 2,500 ms timeout; requests still time
out at 1,500 ms.`,
  options: [
    'candidates',
    'instances',
    'seed',
    'specs',
    'workload',
    'backend',
    'slo',
    'timeout-ms',
    'json',
    'out',
    'jobs',
  ],
  defaultCandidates: DEFAULT_CANDIDATES,
  defaults: { slo: '0.80', 'timeout-ms': '2500', instances: String(COOPERATION_INSTANCES) },

  jobs(options) {
    const slo = singleSlo(options, COOPERATION_SLO);
    const specs = jobSpecs(options);
    const backend = jobBackend(options);
    const n = instances(options);
    return chosenCandidates(options, DEFAULT_CANDIDATES).map((c): Job<CooperationParams> => {
      const base = closedLoopJob(c, options.seed, specs, backend, slo, `${displayName(c)} x ${n}`);
      return {
        runner: 'cooperation',
        params: { ...base.params, instances: n },
        label: base.label,
        cost: base.cost,
      };
    });
  },

  reduce(options, results) {
    const slo = singleSlo(options, COOPERATION_SLO);
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const n = instances(options);
    const published =
      isPublishedSetup(options) &&
      slo.successRate === COOPERATION_SLO.successRate &&
      slo.timeoutMs === COOPERATION_SLO.timeoutMs &&
      n === COOPERATION_INSTANCES;
    const row = deltaRow(
      'cooperation',
      `${n} instances`,
      results,
      published
        ? { levee: PUBLISHED_COOPERATION.Levee!, ...publishedBest(PUBLISHED_COOPERATION) }
        : undefined,
    );
    return {
      text: formatCooperationTables(results),
      json: {
        suite: 'cooperation',
        config: { ...configJson(options, candidates), slo, instances: n },
        results: results.map((r) => ({ ...roundedResult(r), instances: r.instances })),
        scoreboard: row === undefined ? [] : [roundedRow(row)],
      },
      scoreboard: row === undefined ? [] : [row],
    };
  },
};
