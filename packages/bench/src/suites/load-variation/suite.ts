/**
 * `levee-bench load-variation` (docs/BENCHMARKS.md §5.6, §5.7 P2): the reference
 * run repeated on seven variations of the workload — every spec's RPM →
 * max(trunc(RPM × r), 1), ErrorRate → min(ErrorRate × e, 0.95) — with the
 * backend unchanged.
 */
import { CLOSED_LOOP_SLO } from '../closed-loop/suite.js';
import { closedLoopSweep } from '../closed-loop/sweep.js';
import type { Variation } from '../shared/jobs.js';
import { nameList } from '../shared/option-values.js';
import type { SuiteOption, SuiteOptions } from '../shared/suite.js';
import { PUBLISHED_LOAD_VARIATION } from './published.js';

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

interface LoadVariationOptions {
  /** `--variations`: names in run order; default all seven. */
  variations: string[];
}

const VARIATIONS_OPTION: SuiteOption<LoadVariationOptions> = {
  flag: 'variations',
  value: 'LIST',
  help: `Comma-separated variations to run. Known: ${VARIATIONS.map((v) => v.name).join(', ')}.
Default: all seven.`,
  field: 'variations',
  parse: (value) =>
    nameList(
      value,
      VARIATIONS.map((v) => v.name),
      'variation',
    ),
};

function chosenVariations(options: SuiteOptions & Partial<LoadVariationOptions>): NamedVariation[] {
  if (options.variations === undefined) return [...VARIATIONS];
  return options.variations.map((name) => {
    const v = VARIATIONS.find((x) => x.name === name);
    if (v === undefined) throw new Error(`unknown variation ${JSON.stringify(name)}`);
    return v;
  });
}

export const loadVariationSuite = closedLoopSweep<LoadVariationOptions>({
  name: 'load-variation',
  summary: 'the reference run on seven variations of the workload rate and error rates',
  description: `Repeats the closed-loop run on seven variations of the workload (docs/BENCHMARKS.md
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
    VARIATIONS_OPTION,
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
  defaultCandidates: ['levee', 'static-bau', 'static-peak'],
  defaults: { slo: '0.90', 'timeout-ms': '1500' },
  slo: CLOSED_LOOP_SLO,
  column: 'Variation',

  configurations: (options) =>
    chosenVariations(options).map((v) => {
      const ref = PUBLISHED_LOAD_VARIATION[v.name];
      return {
        label: variationLabel(v),
        detail: v.name,
        job: v.name,
        variation: v,
        ...(ref === undefined
          ? {}
          : { reference: { levee: ref.levee, best: ref.staticPeak, bestName: 'Static-Peak' } }),
        json: { name: v.name, rpmFactor: v.rpm, errorFactor: v.error },
      };
    }),

  json: { config: ({ slo }) => ({ slo }), list: 'variations' },
});
