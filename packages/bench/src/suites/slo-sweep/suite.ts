/**
 * `levee-bench slo-sweep` (docs/BENCHMARKS.md §5.6, §5.7 P4): the reference run
 * with Levee built for each of several SLO success rates (1,500 ms timeout).
 * Candidates that ignore the SLO (the static breakers) do not depend on it, so
 * they run once and their result stands in every row.
 */
import { usesSlo } from '../../candidates/registry.js';
import { PUBLISHED_REFERENCE } from '../closed-loop/published.js';
import { CLOSED_LOOP_SLO } from '../closed-loop/suite.js';
import { closedLoopSweep } from '../closed-loop/sweep.js';
import { numberList, successRate } from '../shared/option-values.js';
import type { SuiteOption } from '../shared/suite.js';
import { PUBLISHED_SLO_SWEEP } from './published.js';

/** The published success rates, in the published order. */
export const SLO_LEVELS: readonly number[] = [0.99, 0.95, 0.9, 0.8, 0.7];

/** `0.9` → `0.90`, `0.995` → `0.995`. */
export function sloLabel(rate: number): string {
  const two = rate.toFixed(2);
  return Number(two) === rate ? two : String(rate);
}

interface SloSweepOptions {
  /** `--slo LIST`: the success rates, in run order; default `SLO_LEVELS`. */
  successRates: number[];
}

const SLO_LIST_OPTION: SuiteOption<SloSweepOptions> = {
  flag: 'slo',
  value: 'LIST',
  help: `Comma-separated SLO success rates, each strictly between 0 and 1.
Default: ${SLO_LEVELS.map(sloLabel).join(',')}.`,
  field: 'successRates',
  parse: (value) => numberList(value, (t) => successRate(t, value)),
};

export const sloSweepSuite = closedLoopSweep<SloSweepOptions>({
  name: 'slo-sweep',
  summary: "the reference run with Levee's SLO success rate swept from 0.99 to 0.70",
  description: `Repeats the closed-loop run with Levee built for each SLO success rate (default
0.99, 0.95, 0.90, 0.80, 0.70; timeout 1,500 ms) against the static breakers
(docs/BENCHMARKS.md §5.6/§5.7 P4). Candidates that ignore the SLO run once and
their result is reused in every row. Prints Delta per SLO and candidate,
Levee's lead over the best competitor and Levee's MaxConcurrency, then a
detail table.`,
  options: [
    'candidates',
    SLO_LIST_OPTION,
    'timeout-ms',
    'seed',
    'specs',
    'workload',
    'backend',
    'json',
    'out',
    'jobs',
  ],
  defaultCandidates: ['levee', 'static-bau', 'static-peak'],
  defaults: { 'timeout-ms': '1500' },
  slo: CLOSED_LOOP_SLO,
  column: 'SLO',
  scoreboardPrefix: 'SLO ',

  configurations: (options) => {
    const timeoutMs = options.sloTimeoutMs ?? CLOSED_LOOP_SLO.timeoutMs;
    return (options.successRates ?? SLO_LEVELS).map((rate) => {
      const ref = PUBLISHED_SLO_SWEEP.find((p) => p.successRate === rate);
      return {
        label: sloLabel(rate),
        detail: sloLabel(rate),
        job: `SLO ${sloLabel(rate)}`,
        slo: { successRate: rate, timeoutMs },
        ...(ref === undefined
          ? {}
          : {
              reference: {
                levee: ref.levee,
                best: PUBLISHED_REFERENCE['Static-Peak']!,
                bestName: 'Static-Peak',
              },
            }),
        json: { successRate: rate },
      };
    });
  },

  invariant: { applies: (c) => !usesSlo(c), label: '(any SLO)', detail: 'any' },

  extraColumns: {
    headers: () => ['Levee MaxConc'],
    cells: (results) => {
      const levee = results.find((r) => r.candidate === 'Levee');
      return [levee === undefined ? '' : String(levee.maxConcurrency)];
    },
  },

  json: {
    config: ({ options }) => ({
      timeoutMs: options.sloTimeoutMs ?? CLOSED_LOOP_SLO.timeoutMs,
      successRates: [...(options.successRates ?? SLO_LEVELS)],
    }),
    list: 'levels',
  },
});
