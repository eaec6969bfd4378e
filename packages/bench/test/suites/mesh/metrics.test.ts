import { describe, expect, it } from 'vitest';
import {
  crashList,
  fixed1,
  formatMeshNotes,
  formatMeshTable,
} from '../../../src/suites/mesh/format.js';
import { EntryScoring, meshDelta } from '../../../src/suites/mesh/metrics.js';
import { PUBLISHED_MESH } from '../../../src/suites/mesh/published.js';
import type { MeshResult } from '../../../src/suites/mesh/runner.js';

const S = 1e9;

describe('MeshDelta (§6.6)', () => {
  it('is ((S − F) × Allowed) / (Allowed + Blocked)', () => {
    expect(meshDelta(100, 40, 3, 1)).toBe(45);
    expect(meshDelta(100, 40, 5, 0)).toBe(60);
    expect(meshDelta(10, 20, 1, 1)).toBe(-5);
    expect(meshDelta(1, 1, 0, 0)).toBe(0);
  });

  it('scores the combined stream and each entry from 200 ms epochs', () => {
    const s = new EntryScoring(2);
    s.allowed(0);
    s.allowed(0);
    s.allowed(1);
    s.blocked(1);
    s.result(0, 0.1 * S, true);
    s.result(1, 0.15 * S, true);
    s.result(0, 0.3 * S, false);
    const { combined, entries } = s.finish();
    // Combined: epoch 0 has 2 successes, epoch 1 one failure.
    expect(combined.successScore).toBe(Math.sqrt(5 * 4));
    expect(combined.failureScore).toBe(Math.sqrt(5));
    expect(combined.delta).toBe(((Math.sqrt(20) - Math.sqrt(5)) * 3) / 4);
    expect(combined).toMatchObject({ allowed: 3, blocked: 1, successes: 2, failures: 1 });
    expect(entries[0]).toMatchObject({ allowed: 2, blocked: 0, successes: 1, failures: 1 });
    expect(entries[0]!.delta).toBe(0);
    expect(entries[1]!.delta).toBe((Math.sqrt(5) * 1) / 2);
  });
});

describe('formatting', () => {
  it('prints one decimal like Go %.1f', () => {
    expect(fixed1(8587.3)).toBe('8587.3');
    expect(fixed1(-25256.54)).toBe('-25256.5');
    expect(fixed1(0.25)).toBe('0.2');
    expect(fixed1(0.75)).toBe('0.8');
    expect(fixed1(-2.25)).toBe('-2.2');
    expect(fixed1(1.35)).toBe('1.4'); // 1.35 is above the tie in binary
  });

  const fake = (kind: keyof typeof PUBLISHED_MESH): MeshResult => {
    const p = PUBLISHED_MESH[kind];
    const names = [
      'edge-api',
      'admin-api',
      'catalog',
      'pricing',
      'orders',
      'inventory',
      'payments',
      'db',
      'notify',
      'audit',
    ];
    return {
      governor: kind,
      candidate: p.candidate,
      seed: 20241225,
      phases: 'A-H',
      durationS: 1800,
      allowed: p.allowed,
      blocked: p.blocked,
      successes: p.successes,
      failures: p.failures,
      successScore: 0,
      failureScore: 0,
      delta: p.meshDelta,
      meshDelta: p.meshDelta,
      entries: [
        {
          node: 'edge-api',
          allowed: 0,
          blocked: 0,
          successes: 0,
          failures: 0,
          successScore: 0,
          failureScore: 0,
          delta: p.entryDelta?.['edge-api'] ?? 0,
        },
        {
          node: 'admin-api',
          allowed: 0,
          blocked: 0,
          successes: 0,
          failures: 0,
          successScore: 0,
          failureScore: 0,
          delta: p.entryDelta?.['admin-api'] ?? 0,
        },
      ],
      nodes: names.map((node) => ({
        node,
        crashes: p.crashes[node] ?? 0,
        downtimeS: 120 * (p.crashes[node] ?? 0),
        admitted: 0,
        peakReplicas: 0,
        peakBacklog: 0,
      })),
      totalCrashes: Object.values(p.crashes).reduce((a, b) => a + b, 0),
      events: 0,
    };
  };
  const all = (['no-gov', 'static-breaker', 'static-limiter', 'static-full', 'levee'] as const).map(
    fake,
  );

  it('lays the table out exactly like the published mesh table', () => {
    expect(formatMeshTable(all)).toBe(
      [
        'Candidate       |   Allowed |   Blocked |   Success |  Failures |  MeshDelta',
        'No-Gov          |   1018091 |         0 |    242983 |    775108 |   -25256.5',
        'Static-Breaker  |   1018091 |         0 |    274045 |    744046 |   -24511.7',
        'Static-Limiter  |    675086 |    343005 |    599082 |     76004 |     8141.9',
        'Static-Full     |    675086 |    343005 |    596854 |     78232 |     7929.6',
        'Levee           |    639035 |    379056 |    592268 |     46767 |     8587.3',
        '',
      ].join('\n'),
    );
  });

  it('lists crashes like the published notes (by count, ties in node order)', () => {
    expect(crashList(all[0]!)).toBe('edge-api x7, inventory x2, db x2, payments x1');
    const notes = formatMeshNotes(all);
    expect(notes).toContain(
      'Crashes: No-Gov edge-api x7, inventory x2, db x2, payments x1;\n         Static-Breaker edge-api x7, inventory x2; others none.',
    );
    expect(notes).toContain('Levee edge-api 8103.2, admin-api 670.4.');
    expect(notes).toContain('Static-Limiter edge-api 7591.1, admin-api 715.2;');
  });
});
