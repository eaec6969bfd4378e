/**
 * `levee-bench queue-depth` (docs/BENCHMARKS.md §5.6, §5.7 P5): the reference run
 * with the backend's per-replica queue depth set to trunc(50 × m) for each
 * multiplier m (50, or the `--backend` file's depth, as the base).
 */
import { DEFAULT_BACKEND_CONFIG } from '../../sim/backend/backend-config.js';
import { CLOSED_LOOP_SLO } from '../closed-loop/suite.js';
import { closedLoopSweep } from '../closed-loop/sweep.js';
import { displayName } from '../shared/jobs.js';
import { decimal, numberList } from '../shared/option-values.js';
import { OptionValueError, type SuiteOption, type SuiteOptions } from '../shared/suite.js';
import { PUBLISHED_QUEUE_DEPTH } from './published.js';

/** The published multipliers, in the published order. */
export const QUEUE_DEPTH_MULTIPLIERS: readonly number[] = [0.2, 0.5, 1.0, 1.4, 2.0];

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

interface QueueDepthOptions {
  /** `--multipliers`: in run order; default `QUEUE_DEPTH_MULTIPLIERS`. */
  multipliers: number[];
}

const MULTIPLIERS_OPTION: SuiteOption<QueueDepthOptions> = {
  flag: 'multipliers',
  value: 'LIST',
  help: `Comma-separated queue-depth multipliers m > 0; depth per replica = trunc(base x m).
Default: ${QUEUE_DEPTH_MULTIPLIERS.map((m) => m.toFixed(1)).join(',')}.`,
  field: 'multipliers',
  parse: (value) =>
    numberList(value, (t) => {
      const m = decimal(t, 'multipliers such as 0.5,1.0,2.0');
      if (!(m > 0 && m <= 1000)) throw new OptionValueError(value, `${t} is not in (0, 1000]`);
      return m;
    }),
};

export const queueDepthSuite = closedLoopSweep<QueueDepthOptions>({
  name: 'queue-depth',
  summary: "the reference run with the backend's per-replica queue depth swept 10-100",
  description: `Repeats the closed-loop run with the backend's queue depth per replica set to
trunc(50 x m) for m = 0.2, 0.5, 1.0, 1.4, 2.0 (10, 25, 50, 70, 100; docs/BENCHMARKS.md
§5.6/§5.7 P5). With --backend, the file's queueDepthPerReplica is the base
instead of 50. A short queue sheds early; a long one lets waits grow into
timeouts and pushes the backend towards crashes. Prints Delta per depth and
candidate, Levee's lead over the best competitor and each candidate's backend
crashes, then a detail table.`,
  options: [
    'candidates',
    MULTIPLIERS_OPTION,
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
  column: 'QueueDepth',
  scoreboardPrefix: 'QD ',

  configurations: (options) => {
    const base = baseDepth(options);
    return (options.multipliers ?? QUEUE_DEPTH_MULTIPLIERS).map((m) => {
      const depth = queueDepthFor(base, m);
      const ref = PUBLISHED_QUEUE_DEPTH.find((p) => p.multiplier === m);
      return {
        label: label(depth, m),
        detail: String(depth),
        job: `QD ${depth}`,
        backend: { queueDepthPerReplica: depth },
        ...(ref === undefined
          ? {}
          : { reference: { levee: ref.levee, best: ref.staticPeak, bestName: 'Static-Peak' } }),
        json: { multiplier: m, queueDepthPerReplica: depth },
      };
    });
  },

  extraColumns: {
    headers: (candidates) => [`Crashes (${candidates.map(displayName).join(' / ')})`],
    cells: (results) => [results.map((r) => r.backend.crashes).join(' / ')],
  },

  json: {
    config: ({ options, slo }) => ({ slo, baseQueueDepth: baseDepth(options) }),
    list: 'depths',
  },
});
