import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OpenMetricsContentType, Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Levee } from '../../src/index.js';
import {
  createPrometheusCollector,
  type PrometheusCollector,
} from '../../src/observability/prometheus.js';
import { LeveeRegistry } from '../../src/registry.js';
import {
  fourStates,
  handleCensus,
  httpRequest,
  SLO_99,
  succeed,
  toThrottled,
} from './metrics-fixtures.js';

let checkHandles: () => Promise<void>;
beforeAll(() => {
  checkHandles = handleCensus();
});
afterAll(async () => {
  await checkHandles();
});

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function collect(...args: Parameters<typeof createPrometheusCollector>): PrometheusCollector {
  const collector = createPrometheusCollector(...args);
  cleanup.push(() => collector.remove());
  return collector;
}

function lines(text: string): string[] {
  return text.split('\n');
}

describe('createPrometheusCollector', () => {
  test('exposes every instance with exact metric lines', async () => {
    const levees = fourStates();
    const registry = new Registry();
    collect(levees, { registry });
    const text = lines(await registry.metrics());
    const budget = '0.01'; // 1 − 0.99, printed without float noise (not 0.010000000000000009)

    const expected = [
      '# HELP levee_state Current state of the breaker: 1 for the state it is in, 0 for the other three.',
      '# TYPE levee_state gauge',
      'levee_state{key="closed",state="CLOSED"} 1',
      'levee_state{key="closed",state="OPEN"} 0',
      'levee_state{key="closed",state="THROTTLED"} 0',
      'levee_state{key="closed",state="HALF_OPEN"} 0',
      'levee_state{key="throttled",state="THROTTLED"} 1',
      'levee_state{key="throttled",state="CLOSED"} 0',
      'levee_state{key="open",state="OPEN"} 1',
      'levee_state{key="half_open",state="HALF_OPEN"} 1',
      'levee_state{key="half_open",state="OPEN"} 0',
      '# TYPE levee_inflight gauge',
      'levee_inflight{key="closed"} 3',
      'levee_inflight{key="half_open"} 1',
      'levee_inflight{key="open"} 0',
      '# TYPE levee_capped gauge',
      'levee_capped{key="closed"} 0',
      'levee_capped{key="throttled"} 1',
      '# TYPE levee_limit gauge',
      'levee_limit{key="throttled"} 1',
      'levee_limit{key="open"} 1',
      'levee_limit{key="half_open"} 1',
      '# TYPE levee_estimated_capacity gauge',
      'levee_estimated_capacity{key="closed"} 0.5',
      'levee_estimated_capacity{key="open"} 0',
      '# TYPE levee_error_ratio gauge',
      'levee_error_ratio{key="closed"} 0',
      'levee_error_ratio{key="throttled"} 1',
      '# TYPE levee_error_lower_bound_ratio gauge',
      'levee_error_lower_bound_ratio{key="open"} 1',
      '# TYPE levee_error_budget_ratio gauge',
      `levee_error_budget_ratio{key="closed"} ${budget}`,
      `levee_error_budget_ratio{key="open"} ${budget}`,
      '# TYPE levee_latency_seconds gauge',
      'levee_latency_seconds{key="closed"} 0.01',
      '# TYPE levee_admissions_total counter',
      'levee_admissions_total{key="closed",decision="admitted"} 63',
      'levee_admissions_total{key="closed",decision="rejected"} 0',
      'levee_admissions_total{key="open",decision="admitted"} 6',
      'levee_admissions_total{key="open",decision="rejected"} 1',
      '# TYPE levee_calls_total counter',
      'levee_calls_total{key="closed",outcome="success"} 60',
      'levee_calls_total{key="closed",outcome="failure"} 0',
      'levee_calls_total{key="closed",outcome="cancelled"} 0',
      'levee_calls_total{key="throttled",outcome="failure"} 5',
      '# TYPE levee_transitions_total counter',
      'levee_transitions_total{key="closed",from="CLOSED",to="THROTTLED",trigger="CONSECUTIVE_FAILURES"} 0',
      'levee_transitions_total{key="throttled",from="CLOSED",to="THROTTLED",trigger="CONSECUTIVE_FAILURES"} 1',
      'levee_transitions_total{key="open",from="THROTTLED",to="OPEN",trigger="MIN_LIMIT_FAILURE_RATE"} 1',
      'levee_transitions_total{key="open",from="OPEN",to="HALF_OPEN",trigger="COOLDOWN_EXPIRED"} 0',
      'levee_transitions_total{key="half_open",from="OPEN",to="HALF_OPEN",trigger="COOLDOWN_EXPIRED"} 1',
      'levee_transitions_total{key="half_open",from="HALF_OPEN",to="CLOSED",trigger="RECOVERED"} 0',
    ];
    for (const line of expected) expect(text).toContain(line);

    // No limit series while uncapped.
    expect(text.filter((l) => l.startsWith('levee_limit{key="closed"'))).toEqual([]);
    // Exactly one state is 1 per instance; four series each.
    for (const key of levees.keys()) {
      const states = text.filter((l) => l.startsWith(`levee_state{key="${key}",`));
      expect(states).toHaveLength(4);
      expect(states.filter((l) => l.endsWith(' 1'))).toHaveLength(1);
      // The eight transitions the state machine can make, always present.
      expect(
        text.filter((l) => l.startsWith(`levee_transitions_total{key="${key}",`)),
      ).toHaveLength(8);
    }
    // Every metric name is snake_case with the prefix; counters end in _total.
    const types = text.filter((l) => l.startsWith('# TYPE '));
    expect(types).toHaveLength(12);
    for (const t of types) {
      const [, , name, type] = t.split(' ');
      expect(name).toMatch(/^levee_[a-z_]+$/);
      expect(name!.endsWith('_total')).toBe(type === 'counter');
    }
  });

  test('reads snapshots only when scraped, once per instance per scrape', async () => {
    const levee = new Levee(SLO_99);
    const spy = vi.spyOn(levee, 'snapshot');
    const registry = new Registry();
    collect(new Map([['a', levee]]), { registry });
    succeed(levee, 0, 100);
    toThrottled(new Levee(SLO_99));
    expect(spy).not.toHaveBeenCalled();
    await registry.metrics();
    expect(spy).toHaveBeenCalledTimes(1);
    await registry.getMetricsAsJSON();
    expect(spy).toHaveBeenCalledTimes(2);
    // Values follow the instance between scrapes.
    succeed(levee, 10_000, 5);
    expect(await registry.metrics()).toContain('levee_calls_total{key="a",outcome="success"} 105');
  });

  test('follows a LeveeRegistry: instances appear when created and disappear when evicted', async () => {
    const levees = new LeveeRegistry({ slo: SLO_99, clock: () => 0 });
    const registry = new Registry();
    collect(levees, { registry });
    expect(await registry.metrics()).not.toContain('key="users"');
    const users = levees.get('users');
    toThrottled(users);
    levees.get('orders');
    let text = await registry.metrics();
    expect(text).toContain('levee_state{key="users",state="THROTTLED"} 1');
    expect(text).toContain('levee_state{key="orders",state="CLOSED"} 1');
    levees.delete('users');
    text = await registry.metrics();
    expect(text).not.toContain('key="users"');
    expect(text).toContain('levee_inflight{key="orders"} 0');
  });

  test('accepts a function returning the pairs (e.g. a generator function)', async () => {
    const a = new Levee(SLO_99);
    const registry = new Registry();
    collect(
      function* () {
        yield ['gen', a] as const;
      },
      { registry },
    );
    expect(await registry.metrics()).toContain('levee_inflight{key="gen"} 0');
    expect(await registry.metrics()).toContain('levee_inflight{key="gen"} 0');
  });

  test('reports a repeated key once (first wins) and escapes label values', async () => {
    const first = new Levee(SLO_99);
    toThrottled(first);
    const registry = new Registry();
    const key = 'say "hi"\\now';
    collect(
      [
        [key, first],
        [key, new Levee(SLO_99)],
      ],
      { registry },
    );
    const text = lines(await registry.metrics());
    expect(text).toContain('levee_state{key="say \\"hi\\"\\\\now",state="THROTTLED"} 1');
    expect(text.filter((l) => l.startsWith('levee_inflight{'))).toHaveLength(1);
    expect(text).toContain('levee_calls_total{key="say \\"hi\\"\\\\now",outcome="failure"} 5');
  });

  test('custom prefix and key label', async () => {
    const registry = new Registry();
    const c = collect(new Map([['db', new Levee(SLO_99)]]), {
      registry,
      prefix: 'myapp_breaker_',
      keyLabel: 'dependency',
    });
    expect(c.metricNames).toContain('myapp_breaker_state');
    expect(c.metricNames).toContain('myapp_breaker_transitions_total');
    const text = await registry.metrics();
    expect(text).toContain('myapp_breaker_state{dependency="db",state="CLOSED"} 1');
    expect(text).not.toContain('levee_');
  });

  test('defaults to the global registry', async () => {
    const { register } = await import('prom-client');
    const c = collect(new Map([['g', new Levee(SLO_99)]]));
    expect(c.registry).toBe(register);
    expect(await register.metrics()).toContain('levee_state{key="g",state="CLOSED"} 1');
    c.remove();
    expect(await register.metrics()).not.toContain('levee_');
  });

  test('remove() unregisters everything, idempotently; a collector can then be created again', async () => {
    const registry = new Registry();
    const other = new Registry();
    const c = createPrometheusCollector(new Map([['x', new Levee(SLO_99)]]), { registry });
    expect(c.metricNames).toHaveLength(12);
    expect(registry.getMetricsAsArray()).toHaveLength(12);
    c.remove();
    c.remove();
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    expect(await registry.metrics()).not.toContain('levee_');
    // A merged registry keeps the metric objects: after remove() they report nothing.
    const c2 = createPrometheusCollector(new Map([['x', new Levee(SLO_99)]]), { registry });
    const merged = Registry.merge([registry, other]);
    c2[Symbol.dispose]();
    expect(await merged.metrics()).not.toContain('key="x"');
  });

  test('a second collector with the same prefix throws and leaves the first intact', async () => {
    const registry = new Registry();
    collect(new Map([['x', new Levee(SLO_99)]]), { registry });
    expect(() => createPrometheusCollector(new Map(), { registry })).toThrow(
      /levee_state is already registered/,
    );
    expect(registry.getMetricsAsArray()).toHaveLength(12);
    expect(await registry.metrics()).toContain('levee_state{key="x",state="CLOSED"} 1');
    // A different prefix coexists.
    collect(new Map([['y', new Levee(SLO_99)]]), { registry, prefix: 'second_' });
    expect(registry.getMetricsAsArray()).toHaveLength(24);
  });

  test('OpenMetrics registry: counters keep their _total samples and remove() still works', async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const levee = new Levee(SLO_99);
    toThrottled(levee);
    const c = createPrometheusCollector(new Map([['om', levee]]), { registry });
    const text = lines(await registry.metrics());
    expect(text).toContain('# TYPE levee_calls counter');
    expect(text).toContain('levee_calls_total{key="om",outcome="failure"} 5');
    expect(text).toContain('levee_state{key="om",state="THROTTLED"} 1');
    expect(text.at(-2)).toBe('# EOF');
    c.remove();
    expect(registry.getMetricsAsArray()).toHaveLength(0);
  });

  test('rejects bad arguments', () => {
    const registry = new Registry();
    expect(() => createPrometheusCollector(42 as never, { registry })).toThrow(TypeError);
    expect(() => createPrometheusCollector(new Map(), { registry, prefix: '9x' })).toThrow(
      /prefix/,
    );
    expect(() => createPrometheusCollector(new Map(), { registry, keyLabel: 'state' })).toThrow(
      /keyLabel/,
    );
    expect(() => createPrometheusCollector(new Map(), { registry, keyLabel: '__key' })).toThrow(
      /keyLabel/,
    );
    expect(registry.getMetricsAsArray()).toHaveLength(0);
  });

  test('served over HTTP on loopback: a real scrape', async () => {
    const levees = fourStates();
    const registry = new Registry();
    collect(levees, { registry });
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.statusCode = 404;
        res.end();
        return;
      }
      registry.metrics().then((body) => {
        res.setHeader('Content-Type', registry.contentType);
        res.setHeader('Connection', 'close');
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await httpRequest(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const { body } = res;
      expect(body).toContain('levee_state{key="open",state="OPEN"} 1');
      expect(body).toContain('levee_limit{key="half_open"} 1');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
