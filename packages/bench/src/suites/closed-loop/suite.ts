/**
 * `levee-bench closed-loop`: the reference ("isolated") run of BENCHMARKS.md
 * §5.7 P1 — each candidate behind its own dedicated backend.
 */
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import {
  type ClosedLoopParams,
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
import { PUBLISHED_REFERENCE, publishedBest } from '../published.js';
import type { Job, Suite, SuiteOptions } from '../suite.js';

export const CLOSED_LOOP_SLO: Readonly<SloConfig> = { successRate: 0.9, timeoutMs: 1500 };

/** The single breaker SLO of a suite: `--slo` / `--timeout-ms` over the suite's default. */
export function singleSlo(options: SuiteOptions, defaults: Readonly<SloConfig>): SloConfig {
  return {
    successRate: options.sloRates?.[0] ?? defaults.successRate,
    timeoutMs: options.sloTimeoutMs ?? defaults.timeoutMs,
  };
}

/** The candidates table and the backend table in the published layout. */
export function formatClosedLoopTables(results: readonly ClosedLoopResult[]): string {
  const candidates = formatTable(
    [
      'Candidate',
      'Blocked',
      'Allowed',
      'Successes',
      'Failures',
      'SuccessScore',
      'FailureScore',
      'Delta',
      'MaxConcurrency',
    ],
    results.map((r) => [
      r.candidate,
      String(r.blocked),
      String(r.allowed),
      String(r.successes),
      String(r.failures),
      fixed2(r.successScore),
      fixed2(r.failureScore),
      fixed2(r.delta),
      String(r.maxConcurrency),
    ]),
    [15, 10, 10, 10, 9, 12, 12, 10, 14],
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
    [15, 10, 10, 10, 10, 10, 10],
  );
  return `${candidates}\n${backend}`;
}

const DEFAULT_CANDIDATES = ['no-cb', 'levee', 'static-bau', 'static-peak'] as const;

export const closedLoopSuite: Suite<ClosedLoopParams, ClosedLoopResult> = {
  name: 'closed-loop',
  summary: 'the reference run: each candidate behind its own autoscaling backend',
  description: `Simulates the workload (by default the 28-hour Cyber Monday scenario, 122 load
specs) through a dispatcher, an orchestrator guarded by one circuit breaker,
and an autoscaling backend that can be overloaded into crashing — one isolated
backend per candidate — and prints the candidates table and the backend table
(BENCHMARKS.md §5.7 P1). All time is virtual; results depend only on the
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
    'json',
    'out',
    'jobs',
  ],
  defaultCandidates: DEFAULT_CANDIDATES,
  defaults: { slo: '0.90', 'timeout-ms': '1500' },

  jobs(options) {
    const slo = singleSlo(options, CLOSED_LOOP_SLO);
    const specs = jobSpecs(options);
    const backend = jobBackend(options);
    return chosenCandidates(options, DEFAULT_CANDIDATES).map(
      (c): Job<ClosedLoopParams> =>
        closedLoopJob(c, options.seed, specs, backend, slo, displayName(c)),
    );
  },

  reduce(options, results) {
    const slo = singleSlo(options, CLOSED_LOOP_SLO);
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const published =
      isPublishedSetup(options) &&
      slo.successRate === CLOSED_LOOP_SLO.successRate &&
      slo.timeoutMs === CLOSED_LOOP_SLO.timeoutMs;
    const row = deltaRow(
      'closed-loop',
      'isolated (reference run)',
      results,
      published
        ? { levee: PUBLISHED_REFERENCE.Levee!, ...publishedBest(PUBLISHED_REFERENCE) }
        : undefined,
    );
    return {
      text: formatClosedLoopTables(results),
      json: {
        suite: 'closed-loop',
        config: { ...configJson(options, candidates), slo },
        results: results.map(roundedResult),
        scoreboard: row === undefined ? [] : [roundedRow(row)],
      },
      scoreboard: row === undefined ? [] : [row],
    };
  },
};
