/**
 * `levee-bench load-variation` (BENCHMARKS.md §5.6, §5.7 P2): the reference
 * run repeated on seven variations of the workload — every spec's RPM →
 * max(trunc(RPM × r), 1), ErrorRate → min(ErrorRate × e, 0.95) — with the
 * backend unchanged.
 */
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
  type Variation,
} from '../common.js';
import { PUBLISHED_LOAD_VARIATION } from '../published.js';
import type { Job, ScoreboardRow, Suite, SuiteOptions } from '../suite.js';

export interface NamedVariation extends Variation {
  name: string;
}

/** The seven published variations, in the published order. */
export const VARIATIONS: readonly NamedVariation[] = [
  { name: 'baseline', rpm: 1.0, error: 1.0 },
  { name: 'half-RPM', rpm: 0.5, error: 1.0 },
  { name: 'double-RPM', rpm: 2.0, error: 1.0 },
  { name: 'low-err', rpm: 1.0, error: 0.2 },
  { name: 'high-err', rpm: 1.0, error: 3.0 },
  { name: 'low-RPM-high-err', rpm: 0.5, error: 3.0 },
  { name: 'high-RPM-low-err', rpm: 2.0, error: 0.2 },
];

/** `baseline (1.0x, 1.0x)`. */
export function variationLabel(v: NamedVariation): string {
  return `${v.name} (${v.rpm.toFixed(1)}x, ${v.error.toFixed(1)}x)`;
}

function chosenVariations(options: SuiteOptions): NamedVariation[] {
  if (options.variations === undefined) return [...VARIATIONS];
  return options.variations.map((name) => {
    const v = VARIATIONS.find((x) => x.name === name);
    if (v === undefined) throw new Error(`unknown variation ${JSON.stringify(name)}`);
    return v;
  });
}

const DEFAULT_CANDIDATES = ['levee', 'static-bau', 'static-peak'] as const;

export const loadVariationSuite: Suite<ClosedLoopParams, ClosedLoopResult> = {
  name: 'load-variation',
  summary: 'the reference run on seven variations of the workload rate and error rates',
  description: `Repeats the closed-loop run on seven variations of the workload (BENCHMARKS.md
§5.6/§5.7 P2): every spec's RPM -> max(trunc(RPM x r), 1) and ErrorRate ->
min(ErrorRate x e, 0.95), the backend unchanged. Variations (r, e): baseline
(1.0, 1.0), half-RPM (0.5, 1.0), double-RPM (2.0, 1.0), low-err (1.0, 0.2),
high-err (1.0, 3.0), low-RPM-high-err (0.5, 3.0), high-RPM-low-err (2.0, 0.2).
In the closed-loop backend a spec's error rate only marks incidents (> 0.10,
whose latency comes from the next calm spec); errors come from overload and
the baseline rate, so e changes which specs are incidents. For a workload file
the baseline follows the per-spec rule after the variation (README).
Prints Delta per variation and candidate, Levee's lead over the best
competitor, and a detail table.`,
  options: [
    'candidates',
    'variations',
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
    const backend = jobBackend(options);
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const jobs: Job<ClosedLoopParams>[] = [];
    for (const v of chosenVariations(options)) {
      const specs = jobSpecs(options, v);
      for (const c of candidates) {
        jobs.push(
          closedLoopJob(c, options.seed, specs, backend, slo, `${v.name} / ${displayName(c)}`),
        );
      }
    }
    return jobs;
  },

  reduce(options, results) {
    const slo = singleSlo(options, CLOSED_LOOP_SLO);
    const candidates = chosenCandidates(options, DEFAULT_CANDIDATES);
    const variations = chosenVariations(options);
    const published =
      isPublishedSetup(options) &&
      slo.successRate === CLOSED_LOOP_SLO.successRate &&
      slo.timeoutMs === CLOSED_LOOP_SLO.timeoutMs;
    const groups = variations.map((v, i) => ({
      variation: v,
      configuration: variationLabel(v),
      results: results.slice(i * candidates.length, (i + 1) * candidates.length),
    }));
    const scoreboard: ScoreboardRow[] = [];
    for (const g of groups) {
      const ref = PUBLISHED_LOAD_VARIATION[g.variation.name];
      const row = deltaRow(
        'load-variation',
        g.configuration,
        g.results,
        published && ref !== undefined
          ? { levee: ref.levee, best: ref.staticPeak, bestName: 'Static-Peak' }
          : undefined,
      );
      if (row !== undefined) scoreboard.push(row);
    }
    const text =
      formatSweepSummary('Variation', groups) +
      '\n' +
      formatDetailTable(
        'Variation',
        groups.flatMap((g) =>
          g.results.map((result) => ({ configuration: g.variation.name, result })),
        ),
      );
    return {
      text,
      json: {
        suite: 'load-variation',
        config: { ...configJson(options, candidates), slo },
        variations: groups.map((g) => ({
          name: g.variation.name,
          rpmFactor: g.variation.rpm,
          errorFactor: g.variation.error,
          results: g.results.map(roundedResult),
        })),
        scoreboard: scoreboard.map(roundedRow),
      },
      scoreboard,
    };
  },
};
