/**
 * `levee-bench queue-depth` (BENCHMARKS.md §5.6, §5.7 P5): the reference run
 * with the backend's per-replica queue depth set to trunc(50 × m) for each
 * multiplier m (50, or the `--backend` file's depth, as the base).
 */
import { DEFAULT_BACKEND_CONFIG } from '../../sim/backend/backend-config.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import { CLOSED_LOOP_SLO, singleSlo } from '../closed-loop/suite.js';
import {
  type ClosedLoopParams,
  chosenCandidates,
  closedLoopJob,
  configJson,
  deltaRow,
  displayName,
  formatDetailTable,
  formatSweepSummary,
  isPublishedSetup,
  jobBackend,
  jobSpecs,
  roundedResult,
  roundedRow,
} from '../common.js';
import { PUBLISHED_QUEUE_DEPTH } from '../published.js';
import type { Job, ScoreboardRow, Suite, SuiteOptions } from '../suite.js';

/** The published multipliers, in the published order. */
export const QUEUE_DEPTH_MULTIPLIERS: readonly number[] = [0.2, 0.5, 1.0, 1.4, 2.0];

const DEFAULT_CANDIDATES = ['levee', 'static-bau', 'static-peak'] as const;

function multipliers(options: SuiteOptions): number[] {
  return options.multipliers === undefined
    ? [...QUEUE_DEPTH_MULTIPLIERS]
    : [...options.multipliers];
}

function baseDepth(options: SuiteOptions): number {
  return options.backend.queueDepthPerReplica ?? DEFAULT_BACKEND_CONFIG.queueDepthPerReplica;
}

/** Per-replica queue depth for multiplier `m`: trunc(base × m). */
export function queueDepthFor(base: number, m: number): number {
  return Math.trunc(base * m);
}

/** `10 (0.2x)`. */
function label(depth: number, m: number): string {
  const times = Number(m.toFixed(1)) === m ? m.toFixed(1) : String(m);
  return `${depth} (${times}x)`;
}

export const queueDepthSuite: Suite<ClosedLoopParams, ClosedLoopResult> = {
  name: 'queue-depth',
  summary: "the reference run with the backend's per-replica queue depth swept 10-100",
  description: `Repeats the closed-loop run with the backend's queue depth per replica set to
trunc(50 x m) for m = 0.2, 0.5, 1.0, 1.4, 2.0 (10, 25, 50, 70, 100; BENCHMARKS.md
§5.6/§5.7 P5). With --backend, the file's queueDepthPerReplica is the base
instead of 50. A short queue sheds early; a long one lets waits grow into
timeouts and pushes the backend towards crashes. Prints Delta per depth and
candidate, Levee's lead over the best competitor and each candidate's backend
crashes, then a detail table.`,
  options: [
    'candidates',
    'multipliers',
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
  defaults: {
    slo: '0.90',
    'timeout-ms': '1500',
    multipliers: QUEUE_DEPTH_MULTIPLIERS.map((m) => m.toFixed(1)).join(','),
  },

  jobs(options) {
    const slo = singleSlo(options, CLOSED_LOOP_SLO);
    const specs = jobSpecs(options);
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const base = baseDepth(options);
    const jobs: Job<ClosedLoopParams>[] = [];
    for (const m of multipliers(options)) {
      const depth = queueDepthFor(base, m);
      const backend = jobBackend(options, { queueDepthPerReplica: depth });
      for (const c of candidates) {
        jobs.push(
          closedLoopJob(c, options.seed, specs, backend, slo, `QD ${depth} / ${displayName(c)}`),
        );
      }
    }
    return jobs;
  },

  reduce(options, results) {
    const slo = singleSlo(options, CLOSED_LOOP_SLO);
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const base = baseDepth(options);
    const published =
      isPublishedSetup(options) &&
      slo.successRate === CLOSED_LOOP_SLO.successRate &&
      slo.timeoutMs === CLOSED_LOOP_SLO.timeoutMs;
    const groups = multipliers(options).map((m, i) => {
      const depth = queueDepthFor(base, m);
      return {
        multiplier: m,
        depth,
        configuration: label(depth, m),
        results: results.slice(i * candidates.length, (i + 1) * candidates.length),
      };
    });
    const scoreboard: ScoreboardRow[] = [];
    for (const g of groups) {
      const ref = PUBLISHED_QUEUE_DEPTH.find((p) => p.multiplier === g.multiplier);
      const row = deltaRow(
        'queue-depth',
        `QD ${g.configuration}`,
        g.results,
        published && ref !== undefined
          ? { levee: ref.levee, best: ref.staticPeak, bestName: 'Static-Peak' }
          : undefined,
      );
      if (row !== undefined) scoreboard.push(row);
    }
    const names = candidates.map(displayName);
    const text =
      formatSweepSummary(
        'QueueDepth',
        groups.map((g) => ({
          configuration: g.configuration,
          results: g.results,
          extra: [g.results.map((r) => r.backend.crashes).join(' / ')],
        })),
        [`Crashes (${names.join(' / ')})`],
      ) +
      '\n' +
      formatDetailTable(
        'QueueDepth',
        groups.flatMap((g) =>
          g.results.map((result) => ({ configuration: String(g.depth), result })),
        ),
      );
    return {
      text,
      json: {
        suite: 'queue-depth',
        config: { ...configJson(options, candidates), slo, baseQueueDepth: base },
        depths: groups.map((g) => ({
          multiplier: g.multiplier,
          queueDepthPerReplica: g.depth,
          results: g.results.map(roundedResult),
        })),
        scoreboard: scoreboard.map(roundedRow),
      },
      scoreboard,
    };
  },
};
