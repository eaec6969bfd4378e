/**
 * `levee-bench slo-sweep` (BENCHMARKS.md §5.6, §5.7 P4): the reference run
 * with Levee built for each of several SLO success rates (1,500 ms timeout).
 * Candidates that ignore the SLO (the static breakers) do not depend on it, so
 * they run once and their result stands in every row.
 */
import { usesSlo } from '../../candidates/registry.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import { CLOSED_LOOP_SLO } from '../closed-loop/suite.js';
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
import { PUBLISHED_REFERENCE, PUBLISHED_SLO_SWEEP } from '../published.js';
import type { Job, ScoreboardRow, Suite, SuiteOptions } from '../suite.js';

/** The published success rates, in the published order. */
export const SLO_LEVELS: readonly number[] = [0.99, 0.95, 0.9, 0.8, 0.7];

const DEFAULT_CANDIDATES = ['levee', 'static-bau', 'static-peak'] as const;

function levels(options: SuiteOptions): number[] {
  return options.sloRates === undefined ? [...SLO_LEVELS] : [...options.sloRates];
}

function timeoutMs(options: SuiteOptions): number {
  return options.sloTimeoutMs ?? CLOSED_LOOP_SLO.timeoutMs;
}

/** `0.9` → `0.90`, `0.995` → `0.995`. */
export function sloLabel(rate: number): string {
  const two = rate.toFixed(2);
  return Number(two) === rate ? two : String(rate);
}

interface Plan {
  sloCandidates: string[];
  fixedCandidates: string[];
}

function plan(options: SuiteOptions): Plan {
  const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
  return {
    sloCandidates: candidates.filter((c) => usesSlo(c)),
    fixedCandidates: candidates.filter((c) => !usesSlo(c)),
  };
}

export const sloSweepSuite: Suite<ClosedLoopParams, ClosedLoopResult> = {
  name: 'slo-sweep',
  summary: "the reference run with Levee's SLO success rate swept from 0.99 to 0.70",
  description: `Repeats the closed-loop run with Levee built for each SLO success rate (default
0.99, 0.95, 0.90, 0.80, 0.70; timeout 1,500 ms) against the static breakers
(BENCHMARKS.md §5.6/§5.7 P4). Candidates that ignore the SLO run once and
their result is reused in every row. Prints Delta per SLO and candidate,
Levee's lead over the best competitor and Levee's MaxConcurrency, then a
detail table.`,
  options: [
    'candidates',
    'slo-list',
    'timeout-ms',
    'seed',
    'specs',
    'workload',
    'backend',
    'json',
    'out',
    'jobs',
  ],
  defaultCandidates: DEFAULT_CANDIDATES,
  defaults: { 'slo-list': SLO_LEVELS.map(sloLabel).join(','), 'timeout-ms': '1500' },

  jobs(options) {
    const specs = jobSpecs(options);
    const backend = jobBackend(options);
    const { sloCandidates, fixedCandidates } = plan(options);
    const timeout = timeoutMs(options);
    const jobs: Job<ClosedLoopParams>[] = [];
    for (const rate of levels(options)) {
      for (const c of sloCandidates) {
        const slo = { successRate: rate, timeoutMs: timeout };
        jobs.push(
          closedLoopJob(
            c,
            options.seed,
            specs,
            backend,
            slo,
            `SLO ${sloLabel(rate)} / ${displayName(c)}`,
          ),
        );
      }
    }
    for (const c of fixedCandidates) {
      jobs.push(
        closedLoopJob(
          c,
          options.seed,
          specs,
          backend,
          CLOSED_LOOP_SLO,
          `${displayName(c)} (any SLO)`,
        ),
      );
    }
    return jobs;
  },

  reduce(options, results) {
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const { sloCandidates, fixedCandidates } = plan(options);
    const rates = levels(options);
    const timeout = timeoutMs(options);
    const fixedResults = results.slice(rates.length * sloCandidates.length);
    const published = isPublishedSetup(options) && timeout === CLOSED_LOOP_SLO.timeoutMs;
    const groups = rates.map((rate, i) => {
      const own = results.slice(i * sloCandidates.length, (i + 1) * sloCandidates.length);
      // Rows list the candidates in the order chosen.
      const byKey = new Map<string, ClosedLoopResult>();
      sloCandidates.forEach((c, k) => {
        byKey.set(c, own[k]!);
      });
      fixedCandidates.forEach((c, k) => {
        byKey.set(c, fixedResults[k]!);
      });
      return {
        rate,
        configuration: sloLabel(rate),
        results: candidates.map((c) => byKey.get(c)!),
      };
    });
    const scoreboard: ScoreboardRow[] = [];
    for (const g of groups) {
      const ref = PUBLISHED_SLO_SWEEP.find((p) => p.successRate === g.rate);
      const row = deltaRow(
        'slo-sweep',
        `SLO ${g.configuration}`,
        g.results,
        published && ref !== undefined
          ? { levee: ref.levee, best: PUBLISHED_REFERENCE['Static-Peak']!, bestName: 'Static-Peak' }
          : undefined,
      );
      if (row !== undefined) scoreboard.push(row);
    }
    const summaryRows = groups.map((g) => {
      const levee = g.results.find((r) => r.candidate === 'Levee');
      return {
        configuration: g.configuration,
        results: g.results,
        extra: [levee === undefined ? '' : String(levee.maxConcurrency)],
      };
    });
    const text =
      formatSweepSummary('SLO', summaryRows, ['Levee MaxConc']) +
      '\n' +
      formatDetailTable('SLO', [
        ...groups.flatMap((g) =>
          g.results
            .filter((_, k) => usesSlo(candidates[k]!))
            .map((result) => ({ configuration: g.configuration, result })),
        ),
        ...fixedResults.map((result) => ({ configuration: 'any', result })),
      ]);
    return {
      text,
      json: {
        suite: 'slo-sweep',
        config: { ...configJson(options, candidates), timeoutMs: timeout, successRates: rates },
        levels: groups.map((g) => ({
          successRate: g.rate,
          results: g.results.map(roundedResult),
        })),
        scoreboard: scoreboard.map(roundedRow),
      },
      scoreboard,
    };
  },
};
