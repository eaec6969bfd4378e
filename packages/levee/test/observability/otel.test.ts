import { type Attributes, metrics as metricsApi } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Levee } from '../../src/index.js';
import { type LeveeObservation, METER_NAME, observeLevees } from '../../src/observability/otel.js';
import { LeveeRegistry } from '../../src/registry.js';
import { fourStates, handleCensus, SLO_99, succeed, toThrottled, V04 } from './metrics-fixtures.js';

/** A pull reader: collect() on demand, nothing periodic. */
class TestReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

interface Setup {
  readonly reader: TestReader;
  readonly provider: MeterProvider;
}

let checkHandles: () => Promise<void>;
beforeAll(() => {
  checkHandles = handleCensus();
});
afterAll(async () => {
  await checkHandles();
});

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/**
 * Delta temporality drops series that were not observed in the last callback.
 * The JS SDK's cumulative storage keeps reporting them with their last value
 * (open-telemetry/opentelemetry-js#4096), whatever the callback does.
 */
function setup(temporality = AggregationTemporality.CUMULATIVE): Setup {
  const reader = new TestReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({ readers: [reader] });
  cleanup.push(() => provider.shutdown());
  return { reader, provider };
}

function observe(...args: Parameters<typeof observeLevees>): LeveeObservation {
  const observation = observeLevees(...args);
  cleanup.push(() => observation.stop());
  return observation;
}

async function scrape(reader: TestReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const out = new Map<string, MetricData>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) out.set(metric.descriptor.name, metric);
  }
  return out;
}

function value(metric: MetricData | undefined, attributes: Attributes): number | undefined {
  if (metric === undefined) return undefined;
  const points = metric.dataPoints as Array<{ attributes: Attributes; value: unknown }>;
  const match = points.filter((p) =>
    Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
  );
  if (match.length === 0) return undefined;
  expect(match).toHaveLength(1);
  return match[0]!.value as number;
}

describe('observeLevees', () => {
  test('reports every instance with the documented names, types, units and attributes', async () => {
    const { reader, provider } = setup();
    const levees = fourStates();
    const o = observe(levees, { meter: provider.getMeter('test') });
    const m = await scrape(reader);
    expect([...o.instrumentNames].sort()).toEqual([...m.keys()].sort());

    expect([...m.keys()].sort()).toEqual([
      'levee.admissions',
      'levee.calls',
      'levee.capped',
      'levee.error.budget',
      'levee.error.lower_bound',
      'levee.error.ratio',
      'levee.estimated_capacity',
      'levee.inflight',
      'levee.latency',
      'levee.limit',
      'levee.state',
      'levee.transitions',
    ]);
    const kinds = Object.fromEntries(
      [...m].map(([name, d]) => [
        name,
        [
          d.dataPointType,
          d.dataPointType === DataPointType.SUM ? d.isMonotonic : undefined,
          d.descriptor.unit,
        ],
      ]),
    );
    expect(kinds).toEqual({
      'levee.state': [DataPointType.GAUGE, undefined, ''],
      'levee.inflight': [DataPointType.SUM, false, '{call}'],
      'levee.capped': [DataPointType.GAUGE, undefined, ''],
      'levee.limit': [DataPointType.GAUGE, undefined, '{call}'],
      'levee.estimated_capacity': [DataPointType.GAUGE, undefined, '{call}'],
      'levee.error.ratio': [DataPointType.GAUGE, undefined, '1'],
      'levee.error.lower_bound': [DataPointType.GAUGE, undefined, '1'],
      'levee.error.budget': [DataPointType.GAUGE, undefined, '1'],
      'levee.latency': [DataPointType.GAUGE, undefined, 's'],
      'levee.admissions': [DataPointType.SUM, true, '{call}'],
      'levee.calls': [DataPointType.SUM, true, '{call}'],
      'levee.transitions': [DataPointType.SUM, true, '{transition}'],
    });
    for (const d of m.values())
      expect(d.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);

    const state = m.get('levee.state');
    for (const [key, levee] of levees) {
      for (const s of ['closed', 'open', 'throttled', 'half_open']) {
        expect(value(state, { 'levee.key': key, 'levee.state': s })).toBe(
          levee.state.toLowerCase() === s ? 1 : 0,
        );
      }
    }
    expect(state!.dataPoints).toHaveLength(16);

    expect(value(m.get('levee.inflight'), { 'levee.key': 'closed' })).toBe(3);
    expect(value(m.get('levee.inflight'), { 'levee.key': 'half_open' })).toBe(1);
    expect(value(m.get('levee.capped'), { 'levee.key': 'closed' })).toBe(0);
    expect(value(m.get('levee.capped'), { 'levee.key': 'open' })).toBe(1);
    expect(value(m.get('levee.limit'), { 'levee.key': 'closed' })).toBeUndefined();
    expect(value(m.get('levee.limit'), { 'levee.key': 'throttled' })).toBe(1);
    expect(m.get('levee.limit')!.dataPoints).toHaveLength(3);
    expect(value(m.get('levee.estimated_capacity'), { 'levee.key': 'closed' })).toBe(0.5);
    expect(value(m.get('levee.error.ratio'), { 'levee.key': 'throttled' })).toBe(1);
    expect(value(m.get('levee.error.lower_bound'), { 'levee.key': 'closed' })).toBe(0);
    expect(value(m.get('levee.error.budget'), { 'levee.key': 'open' })).toBe(0.01);
    expect(value(m.get('levee.latency'), { 'levee.key': 'closed' })).toBeCloseTo(0.01, 12);

    const adm = m.get('levee.admissions');
    expect(value(adm, { 'levee.key': 'closed', 'levee.decision': 'admitted' })).toBe(63);
    expect(value(adm, { 'levee.key': 'open', 'levee.decision': 'rejected' })).toBe(1);
    const calls = m.get('levee.calls');
    expect(value(calls, { 'levee.key': 'closed', 'levee.outcome': 'success' })).toBe(60);
    expect(value(calls, { 'levee.key': 'throttled', 'levee.outcome': 'failure' })).toBe(5);
    expect(value(calls, { 'levee.key': 'closed', 'levee.outcome': 'cancelled' })).toBe(0);

    const tr = m.get('levee.transitions');
    expect(tr!.dataPoints).toHaveLength(4 * 8);
    expect(
      value(tr, {
        'levee.key': 'half_open',
        'levee.transition.from': 'open',
        'levee.transition.to': 'half_open',
        'levee.transition.trigger': 'cooldown_expired',
      }),
    ).toBe(1);
    expect(
      value(tr, {
        'levee.key': 'throttled',
        'levee.transition.from': 'closed',
        'levee.transition.to': 'throttled',
        'levee.transition.trigger': 'consecutive_failures',
      }),
    ).toBe(1);
    expect(
      value(tr, {
        'levee.key': 'closed',
        'levee.transition.from': 'half_open',
        'levee.transition.to': 'open',
        'levee.transition.trigger': 'min_limit_failure_rate',
      }),
    ).toBe(0);
  });

  test('reads snapshots only on collection, once per instance', async () => {
    const { reader, provider } = setup();
    const levee = new Levee(SLO_99, V04);
    const spy = vi.spyOn(levee, 'snapshot');
    observe(new Map([['a', levee]]), { meter: provider.getMeter('test') });
    succeed(levee, 0, 50);
    expect(spy).not.toHaveBeenCalled();
    let m = await scrape(reader);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(value(m.get('levee.calls'), { 'levee.key': 'a', 'levee.outcome': 'success' })).toBe(50);
    toThrottled(levee, 10_000);
    m = await scrape(reader);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(value(m.get('levee.state'), { 'levee.key': 'a', 'levee.state': 'throttled' })).toBe(1);
  });

  test('follows a LeveeRegistry as instances come and go', async () => {
    const { reader, provider } = setup(AggregationTemporality.DELTA);
    const levees = new LeveeRegistry({ slo: SLO_99, clock: () => 0 });
    observe(levees, { meter: provider.getMeter('test') });
    levees.get('users');
    let m = await scrape(reader);
    expect(value(m.get('levee.inflight'), { 'levee.key': 'users' })).toBe(0);
    levees.get('orders');
    levees.delete('users');
    m = await scrape(reader);
    expect(value(m.get('levee.inflight'), { 'levee.key': 'orders' })).toBe(0);
    // The evicted key is no longer observed.
    expect(value(m.get('levee.state'), { 'levee.key': 'users' })).toBeUndefined();
  });

  test('stop() removes the callback: nothing more is observed', async () => {
    const { reader, provider } = setup(AggregationTemporality.DELTA);
    const levee = new Levee(SLO_99);
    const spy = vi.spyOn(levee, 'snapshot');
    const o = observeLevees(new Map([['a', levee]]), { meter: provider.getMeter('test') });
    expect(o.instrumentNames).toHaveLength(12);
    await scrape(reader);
    o.stop();
    o[Symbol.dispose]();
    const m = await scrape(reader);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(value(m.get('levee.state'), { 'levee.key': 'a' })).toBeUndefined();
    expect(value(m.get('levee.inflight'), { 'levee.key': 'a' })).toBeUndefined();
  });

  test('defaults to the global meter provider', async () => {
    const { reader, provider } = setup();
    expect(metricsApi.setGlobalMeterProvider(provider)).toBe(true);
    cleanup.push(() => metricsApi.disable());
    observe(new Map([['g', new Levee(SLO_99)]]));
    const { resourceMetrics } = await reader.collect();
    const scope = resourceMetrics.scopeMetrics.find((s) => s.scope.name === METER_NAME);
    expect(scope?.metrics.map((d) => d.descriptor.name)).toContain('levee.state');
  });

  test('rejects a source that is not iterable', () => {
    expect(() => observeLevees({} as never)).toThrow(TypeError);
  });
});
