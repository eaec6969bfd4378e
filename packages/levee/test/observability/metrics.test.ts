import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../../src/core/transitions.js';
import { KNOWN_TRANSITIONS, METRICS, mergeTransitions } from '../../src/observability/metrics.js';

describe('the metric table', () => {
  it('reports transitions grouped by the state left, in lifecycle order', () => {
    expect(KNOWN_TRANSITIONS.map((t) => `${t.from}>${t.to}:${t.trigger}`)).toEqual([
      'CLOSED>THROTTLED:FAILURE_RATE',
      'CLOSED>THROTTLED:CONSECUTIVE_FAILURES',
      'CLOSED>THROTTLED:SURGE',
      'THROTTLED>CLOSED:RECOVERED',
      'THROTTLED>OPEN:MIN_LIMIT_FAILURE_RATE',
      'OPEN>HALF_OPEN:COOLDOWN_EXPIRED',
      'HALF_OPEN>CLOSED:RECOVERED',
      'HALF_OPEN>OPEN:MIN_LIMIT_FAILURE_RATE',
    ]);
    // The same entries as the core's list: one list, two orders.
    expect(new Set(KNOWN_TRANSITIONS)).toEqual(new Set(TRANSITIONS));
  });

  it('merges counts into the known transitions, then appends unknown ones', () => {
    const merged = mergeTransitions([
      { from: 'OPEN', to: 'HALF_OPEN', trigger: 'COOLDOWN_EXPIRED', count: 3 },
      { from: 'OPEN', to: 'CLOSED', trigger: 'RECOVERED', count: 1 },
    ]);
    expect(merged).toHaveLength(9);
    expect(merged[5]).toEqual({
      from: 'OPEN',
      to: 'HALF_OPEN',
      trigger: 'COOLDOWN_EXPIRED',
      count: 3,
    });
    expect(merged.filter((m) => m.count === 0)).toHaveLength(7);
    expect(merged[8]).toEqual({ from: 'OPEN', to: 'CLOSED', trigger: 'RECOVERED', count: 1 });
  });

  it('gives every metric a unique name in each system, counters ending in _total', () => {
    expect(new Set(METRICS.map((m) => m.prom)).size).toBe(METRICS.length);
    expect(new Set(METRICS.map((m) => m.otel)).size).toBe(METRICS.length);
    for (const m of METRICS) {
      expect(m.prom).toMatch(/^[a-z_]+$/);
      expect(m.otel).toMatch(/^levee\.[a-z_.]+$/);
      expect(m.prom.endsWith('_total'), m.prom).toBe(m.kind === 'counter');
      for (const l of m.labels) expect(l.otel).toMatch(/^levee\./);
    }
  });
});
