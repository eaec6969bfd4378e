/**
 * The mesh page's recorder: hand-made event sequences give exactly the
 * expected rows, and on a short real run recording changes no result and the
 * columns add up to the run's totals.
 */
import { describe, expect, test } from 'vitest';
import { runMeshJob } from '../../../src/suites/mesh/runner.js';
import { MeshTraceRecorder } from '../../../src/suites/mesh/trace.js';
import { list, rounded, S, sum } from '../fixtures.js';

describe('MeshTraceRecorder', () => {
  test('entry counts, per-node calls and replicas, crash markers and downtime', () => {
    const recorder = new MeshTraceRecorder('Gov');
    recorder.attach({
      names: ['a', 'b'],
      replicas: [3, 2],
      endNs: 4 * S,
      windows: [
        { phase: 'A', label: 'steady', startS: 0 },
        { phase: 'B', label: 'surge', startS: 2 },
      ],
    });
    recorder.entry(0.2 * S, true);
    recorder.entry(0.4 * S, false);
    recorder.admit(0, 0.2 * S);
    recorder.admit(1, 0.3 * S);
    recorder.result(0.9 * S, true);
    recorder.tick(0, 1 * S, 4);
    recorder.tick(1, 1 * S, 2);
    recorder.crash(1, 1.5 * S);
    recorder.crash(0, 1.75 * S);
    recorder.entry(1.8 * S, true); // parked at a crashed entry node: counts as admitted
    recorder.tick(0, 2 * S, 0);
    recorder.tick(1, 2 * S, 0);
    recorder.recover(1, 2.5 * S);
    // node 0 has no tick at 3 s: its sample carries over; it never recovers in the run
    recorder.tick(1, 3 * S, 2);
    recorder.result(3.4 * S, false);
    recorder.result(4.2 * S, false); // a deadline after the end
    recorder.finish();
    const t = recorder.trace();
    const c = t.columns;
    expect(t.candidate).toBe('Gov');
    expect(t.seconds).toBe(5);
    expect(t.layout.id).toBe('mesh');
    expect(t.layout.marks).toEqual([{ atS: 2, label: 'B surge' }]);
    expect(list(c.offered)).toEqual([2, 1, 0, 0, 0]);
    expect(list(c.admitted)).toEqual([1, 1, 0, 0, 0]);
    expect(list(c.blocked)).toEqual([1, 0, 0, 0, 0]);
    expect(list(c.successes)).toEqual([1, 0, 0, 0, 0]);
    expect(list(c.failures)).toEqual([0, 0, 0, 1, 1]);
    expect(list(c['calls:a'])).toEqual([1, 0, 0, 0, 0]);
    expect(list(c['calls:b'])).toEqual([1, 0, 0, 0, 0]);
    expect(list(c['replicas:a'])).toEqual([3, 4, 0, 0, 0]);
    expect(list(c['replicas:b'])).toEqual([2, 2, 0, 2, 2]);
    expect(t.crashes).toEqual([
      { startS: 1.5, endS: 2.5, label: 'b' },
      { startS: 1.75, endS: 1.75, label: 'a' },
    ]);
    // Some node down from 1.5 s to the end; b down 1.5-2.5 s, a from 1.75 s on.
    expect(rounded(c.down)).toEqual([0, 0.5, 1, 1, 1]);
    expect(rounded(c.nodesDown)).toEqual([0, 0.75, 1.5, 1, 1]);
  });

  test('a short real run (phases A-B): identical results; columns add up', () => {
    const job = { governor: 'no-gov' as const, phases: 'A-B' };
    const plain = runMeshJob(job);
    const recorder = new MeshTraceRecorder();
    const traced = runMeshJob(job, undefined, recorder);
    expect(traced).toEqual(plain);
    const t = recorder.trace();
    const c = t.columns;
    expect(t.seconds).toBeGreaterThanOrEqual(330);
    expect(t.seconds).toBeLessThanOrEqual(333);
    expect(sum(c.offered)).toBe(plain.allowed + plain.blocked);
    expect(sum(c.admitted)).toBe(plain.allowed);
    expect(sum(c.successes)).toBe(plain.successes);
    expect(sum(c.failures)).toBe(plain.failures);
    for (const node of plain.nodes) {
      expect(sum(c[`calls:${node.node}`]), node.node).toBe(node.admitted);
      expect(Math.max(...list(c[`replicas:${node.node}`])), node.node).toBe(node.peakReplicas);
    }
    expect(t.crashes).toHaveLength(plain.totalCrashes);
    expect(plain.totalCrashes).toBeGreaterThan(0);
    const downS = plain.nodes.reduce((s, n) => s + n.downtimeS, 0);
    // Downtime within the scenario window (the result clips it there).
    expect(sum(c.nodesDown!.slice(0, 330))).toBeCloseTo(downS, 6);
    expect(t.layout.marks?.map((m) => m.label)).toContain('B surge');
  }, 30_000);
});
