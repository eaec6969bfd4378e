/**
 * `@leveejs/levee/prometheus`: exposes Levee instances to a prom-client
 * registry. Nothing runs on the hot path: every value is read from
 * `levee.snapshot()` and `levee.transitionCounts()` when the registry is
 * scraped (prom-client's `collect()` callbacks), once per instance per scrape.
 *
 * Requires the optional peer dependency `prom-client` (15.x).
 *
 * ```ts
 * import { register } from 'prom-client';
 * import { createPrometheusCollector } from '@leveejs/levee/prometheus';
 *
 * const levees = new Map([['payments-api', new Levee({ successRate: 0.99, timeoutMs: 2000 })]]);
 * const collector = createPrometheusCollector(levees); // prom-client's global registry
 * // app.get('/metrics', async (_req, res) => res.type(register.contentType).send(await register.metrics()));
 * collector.remove(); // unregisters every levee_* metric
 * ```
 *
 * @module
 */
import {
  Counter,
  Gauge,
  register as globalRegistry,
  type OpenMetricsContentType,
  type PrometheusContentType,
  type Registry,
} from 'prom-client';
import { DISPOSE } from '../internal/dispose.js';
import { METRICS } from './metrics.js';
import { checkSource, type LeveeSource, readSource, type SourceEntry } from './source.js';

export type { LeveeSource } from './source.js';

/** A prom-client registry of either content type (Prometheus text or OpenMetrics). */
export type PromRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;

/** Options of {@link createPrometheusCollector}. */
export interface PrometheusCollectorOptions {
  /** Registry to register the metrics in. Default: prom-client's global `register`. */
  readonly registry?: PromRegistry;
  /** Prefix of every metric name. Default `'levee_'`. */
  readonly prefix?: string;
  /** Name of the label carrying the instance key. Default `'key'`. */
  readonly keyLabel?: string;
}

/** Handle returned by {@link createPrometheusCollector}. */
export interface PrometheusCollector {
  /** The registry the metrics are registered in. */
  readonly registry: PromRegistry;
  /** Names the metrics are registered under (counters end in `_total`). */
  readonly metricNames: readonly string[];
  /** Unregisters every metric of this collector from the registry. Idempotent. */
  remove(): void;
  /** Same as {@link PrometheusCollector.remove}, for `using`. */
  [Symbol.dispose](): void;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels this collector uses itself; the key label must differ from all of them. */
const OWN_LABELS = [...new Set(METRICS.flatMap((m) => m.labels.map((l) => l.prom)))];

type Labels = Record<string, string>;

/**
 * Registers the Levee metrics (see the README's metric table) in a prom-client
 * registry. Every scrape reads the source afresh, so instances added to or
 * evicted from a registry appear and disappear on their own.
 *
 * Throws if a metric of the same name is already registered (e.g. a second
 * collector with the same prefix in the same registry); nothing is left
 * registered in that case.
 */
export function createPrometheusCollector(
  source: LeveeSource,
  options: PrometheusCollectorOptions = {},
): PrometheusCollector {
  checkSource(source, 'createPrometheusCollector');
  const registry: PromRegistry = options.registry ?? globalRegistry;
  const prefix = options.prefix ?? 'levee_';
  const keyLabel = options.keyLabel ?? 'key';
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix))) {
    throw new TypeError(
      `prefix must be a valid start of a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${JSON.stringify(prefix)}`,
    );
  }
  if (
    typeof keyLabel !== 'string' ||
    !LABEL_NAME.test(keyLabel) ||
    keyLabel.startsWith('__') ||
    OWN_LABELS.includes(keyLabel)
  ) {
    throw new TypeError(
      `keyLabel must be a Prometheus label name other than ${OWN_LABELS.join(', ')}, got ${JSON.stringify(keyLabel)}`,
    );
  }

  // One read of the source per scrape: prom-client calls every metric's
  // collect() synchronously, one after the other, when a scrape starts; the
  // cache is dropped in the next microtask.
  let cache: SourceEntry[] | undefined;
  let removed = false;
  const read = (): SourceEntry[] => {
    if (removed) return [];
    if (cache === undefined) {
      cache = readSource(source);
      queueMicrotask(() => {
        cache = undefined;
      });
    }
    return cache;
  };

  // [name registered under, metric]: an OpenMetrics registry renames counters
  // (drops `_total`) when it scrapes, but keeps them under the original key.
  const metrics: Array<readonly [string, Gauge | Counter]> = [];
  try {
    for (const spec of METRICS) {
      const name = prefix + spec.prom;
      const labelNames = [keyLabel, ...spec.labels.map((l) => l.prom)];
      const collect = (metric: { reset(): void }, set: (labels: Labels, value: number) => void) => {
        metric.reset();
        for (const entry of read()) {
          spec.read(entry, (value, ...values) => {
            const labels: Labels = { [keyLabel]: entry.key };
            for (let i = 0; i < values.length; i++) labels[labelNames[i + 1]!] = values[i]!;
            set(labels, value);
          });
        }
      };
      if (spec.kind !== 'counter') {
        const g: Gauge = new Gauge({
          name,
          help: spec.help,
          labelNames,
          registers: [],
          collect: () => collect(g, (labels, value) => g.set(labels, value)),
        });
        metrics.push([name, g]);
      } else {
        const c: Counter = new Counter({
          name,
          help: spec.help,
          labelNames,
          registers: [],
          collect: () => collect(c, (labels, value) => c.inc(labels, value)),
        });
        metrics.push([name, c]);
      }
    }
    for (const [name] of metrics) {
      if (registry.getSingleMetric(name) !== undefined) {
        throw new Error(
          `createPrometheusCollector: a metric named ${name} is already registered (another collector with prefix ${JSON.stringify(prefix)}?)`,
        );
      }
    }
    for (const [, metric] of metrics) registry.registerMetric(metric);
  } catch (err) {
    unregister(registry, metrics);
    throw err;
  }

  const remove = (): void => {
    if (removed) return;
    removed = true;
    cache = undefined;
    unregister(registry, metrics);
  };
  return {
    registry,
    metricNames: Object.freeze(metrics.map(([name]) => name)),
    remove,
    [DISPOSE]: remove,
  };
}

function unregister(
  registry: PromRegistry,
  metrics: ReadonlyArray<readonly [string, Gauge | Counter]>,
): void {
  for (const [name, metric] of metrics) {
    if ((registry.getSingleMetric(name) as unknown) === metric) registry.removeSingleMetric(name);
  }
}
