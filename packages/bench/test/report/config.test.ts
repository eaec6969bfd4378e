/** The report page's configuration labels (src/report/config.ts). */
import { describe, expect, test } from 'vitest';
import { configEntries, labelOf, valueText } from '../../src/report/config.js';

describe('configEntries', () => {
  test('the shared options by their usual names', () => {
    expect(
      configEntries({
        seed: 20241225,
        workload: 'cyber-monday',
        specs: { first: 0, last: 7, count: 8 },
        backend: {},
        candidates: ['levee', 'aimd'],
        slo: { successRate: 0.9, timeoutMs: 1500 },
      }),
    ).toEqual([
      { label: 'Seed', value: '20241225' },
      { label: 'Workload', value: 'cyber-monday' },
      { label: 'Specs', value: "0-7 (8 of the workload's specs)" },
      { label: 'Backend', value: 'reference' },
      { label: 'Candidates', value: 'levee, aimd' },
      { label: 'SLO', value: 'success rate 0.9, latency limit 1,500 ms' },
    ]);
  });

  test('any other field: words from its name, values with their units', () => {
    expect(
      configEntries({
        specs: { first: 3, last: 3, count: 1 },
        backend: { maxReplicas: 16, provisioningLagS: 60 },
        baseQueueDepth: 50,
        oracleThreshold: 0.09999999999999998,
        durationS: 330,
        timeoutMs: 2500,
        successRates: [0.99, 0.9],
        buckets: { widthNs: 1e9, phaseNs: 0, anchoring: 'stream origin' },
      }),
    ).toEqual([
      { label: 'Specs', value: "3 (1 of the workload's specs)" },
      { label: 'Backend', value: 'reference, with maxReplicas = 16, provisioningLagS = 60' },
      { label: 'Base queue depth', value: '50' },
      { label: 'Oracle threshold', value: '0.1' },
      { label: 'Duration', value: '330 s' },
      { label: 'Timeout', value: '2,500 ms' },
      { label: 'Success rates', value: '0.99, 0.9' },
      { label: 'Buckets', value: 'width 1 s; phase 0 s; anchoring stream origin' },
    ]);
  });

  test('labels and values of odd shapes', () => {
    expect(labelOf('topology')).toBe('Topology');
    expect(labelOf('queue-depth_per')).toBe('Queue depth per');
    expect(valueText('waitNs', 2_500_000)).toBe('2.5 ms');
    expect(valueText('flag', true)).toBe('yes');
    expect(valueText('x', null)).toBe('—');
    expect(configEntries(null)).toEqual([]);
    expect(configEntries('plain')).toEqual([{ label: 'Configuration', value: 'plain' }]);
  });
});
