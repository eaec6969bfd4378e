/**
 * `@leveejs/levee/otel`: OpenTelemetry metrics for Levee instances, through
 * `@opentelemetry/api` alone (bring your own SDK). Every instrument is
 * asynchronous: one batch callback reads `levee.snapshot()` and
 * `levee.transitionCounts()` of every instance when the SDK collects, and
 * nothing runs on the hot path.
 *
 * Requires the optional peer dependency `@opentelemetry/api` (1.x).
 *
 * ```ts
 * import { observeLevees } from '@leveejs/levee/otel';
 *
 * const observation = observeLevees(registry); // meter from the global MeterProvider
 * observation.stop();
 * ```
 *
 * @module
 */
import {
  type Attributes,
  type BatchObservableCallback,
  type Meter,
  type MetricOptions,
  metrics,
  type Observable,
} from '@opentelemetry/api';
import { DISPOSE } from '../internal/dispose.js';
import { METRICS } from './metrics.js';
import { checkSource, type LeveeSource, readSource } from './source.js';

export type { LeveeSource } from './source.js';

/** Instrumentation scope name used when no meter is given. */
export const METER_NAME = '@leveejs/levee';

/** Options of {@link observeLevees}. */
export interface ObserveLeveesOptions {
  /** Meter to create the instruments with. Default: `metrics.getMeter('@leveejs/levee')` (global provider). */
  readonly meter?: Meter;
}

/** Handle returned by {@link observeLevees}. */
export interface LeveeObservation {
  /** Names of the instruments created. */
  readonly instrumentNames: readonly string[];
  /** Removes the batch callback: the instruments report nothing more. Idempotent. */
  stop(): void;
  /** Same as {@link LeveeObservation.stop}, for `using`. */
  [Symbol.dispose](): void;
}

/** `HALF_OPEN` → `half_open`: OpenTelemetry enum values are lowercase snake_case (the other label values already are). */
function lower(value: string): string {
  return value.toLowerCase();
}

/**
 * Creates the Levee instruments (see the README's metric table) on a meter
 * and observes every instance of the source at each collection. The source is
 * read afresh each time, so instances added to or evicted from a registry
 * appear and disappear on their own.
 *
 * Call it once per meter: a second call with the same meter creates the same
 * instruments again and the SDK would receive duplicate observations.
 */
export function observeLevees(
  source: LeveeSource,
  options: ObserveLeveesOptions = {},
): LeveeObservation {
  checkSource(source, 'observeLevees');
  const meter = options.meter ?? metrics.getMeter(METER_NAME);

  const observables: Observable[] = METRICS.map((spec) => {
    const opts: MetricOptions =
      spec.unit === undefined
        ? { description: spec.description ?? spec.help }
        : { description: spec.description ?? spec.help, unit: spec.unit };
    if (spec.kind === 'gauge') return meter.createObservableGauge(spec.otel, opts);
    if (spec.kind === 'updown') return meter.createObservableUpDownCounter(spec.otel, opts);
    return meter.createObservableCounter(spec.otel, opts);
  });

  const callback: BatchObservableCallback = (result) => {
    for (const entry of readSource(source)) {
      const attrs: Attributes = { 'levee.key': entry.key };
      METRICS.forEach((spec, m) => {
        const observable = observables[m]!;
        spec.read(entry, (value, ...values) => {
          if (values.length === 0) {
            result.observe(observable, value, attrs);
            return;
          }
          const labelled: Attributes = { ...attrs };
          for (let i = 0; i < values.length; i++)
            labelled[spec.labels[i]!.otel] = lower(values[i]!);
          result.observe(observable, value, labelled);
        });
      });
    }
  };
  meter.addBatchObservableCallback(callback, observables);

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    meter.removeBatchObservableCallback(callback, observables);
  };
  return {
    instrumentNames: Object.freeze(METRICS.map((spec) => spec.otel)),
    stop,
    [DISPOSE]: stop,
  };
}
