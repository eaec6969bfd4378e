import { describe, expect, it } from 'vitest';
import { type EngineResult, MeshEngine } from '../../../src/suites/mesh/engine.js';
import { GovernorFactory, type GovernorKind } from '../../../src/suites/mesh/governors.js';
import { type Injection, type PhaseWindow, Scenario } from '../../../src/suites/mesh/scenario.js';
import {
  buildTopology,
  type EdgeSpec,
  type TopologySpec,
} from '../../../src/suites/mesh/topology.js';

/** A small chain: front → mid (sync, p 1) → end (sync, p 1), plus front → side. */
function chain(opts: { hopBudget?: number; side?: EdgeSpec } = {}): TopologySpec {
  const base = { rpsPerReplica: 100, minReplicas: 1, maxReplicas: 1, p50Ms: 5, p99Ms: 20 };
  const frontEdges: EdgeSpec[] = [{ to: 'mid', p: 1, async: false }];
  if (opts.side !== undefined) frontEdges.push(opts.side);
  return {
    name: 'chain',
    hopLatencyMs: 1,
    rootDeadlineMs: 1500,
    hopBudget: opts.hopBudget ?? 8,
    nodes: [
      { ...base, name: 'front', entryRps: 20, edges: frontEdges },
      { ...base, name: 'mid', entryRps: 0, edges: [{ to: 'end', p: 1, async: false }] },
      { ...base, name: 'end', entryRps: 0, edges: [] },
      { ...base, name: 'side', entryRps: 0, edges: [] },
    ],
  };
}

function run(
  spec: TopologySpec,
  injections: Injection[] = [],
  governor: GovernorKind = 'no-gov',
  seconds = 20,
): EngineResult {
  const topo = buildTopology(spec);
  const windows: PhaseWindow[] = [
    { phase: 'A', label: 'test', startS: 0, endS: seconds, injections },
  ];
  const scenario = new Scenario(
    topo.names,
    topo.edges.map((l) => l.map((e) => topo.names[e.to]!)),
    'A',
    windows,
  );
  return new MeshEngine(topo, scenario, new GovernorFactory(governor, topo), 20241225).run();
}

/** Every admitted entry root finishes exactly once. */
function expectAccounted(r: EngineResult): void {
  expect(r.combined.successes + r.combined.failures).toBe(r.combined.allowed);
}

describe('mesh engine semantics', () => {
  it('healthy chain: nearly every root succeeds (0.5 % local errors per hop)', () => {
    const r = run(chain());
    expectAccounted(r);
    expect(r.combined.allowed).toBeGreaterThan(300);
    expect(r.combined.blocked).toBe(0);
    expect(r.combined.failures / r.combined.allowed).toBeLessThan(0.05);
    expect(r.crashes).toEqual([0, 0, 0, 0]);
    // Every node sees (nearly) every root: p = 1 on the chain, but a call that
    // reaches a node after its root's deadline (1 % latency tail up to 1.5 s) is
    // failed on arrival instead of admitted.
    expect(r.admitted[1]).toBeLessThanOrEqual(r.admitted[0]!);
    expect(r.admitted[2]).toBeLessThanOrEqual(r.admitted[1]!);
    expect(r.admitted[2]).toBeGreaterThan(r.admitted[0]! * 0.97);
  });

  it('hop budget: a parent with budget ≤ 1 fails its sync children', () => {
    const ok = run(chain({ hopBudget: 3 }));
    expect(ok.combined.successes / ok.combined.allowed).toBeGreaterThan(0.95);
    const cut = run(chain({ hopBudget: 2 }));
    expectAccounted(cut);
    expect(cut.combined.successes).toBe(0); // front(2) → mid(1) cannot call end
    expect(cut.admitted[2]).toBe(0);
  });

  it('async children never fail their parent', () => {
    const slowSide: Injection = { kind: 'latency', node: 'side', value: 1000 };
    const r = run(chain({ side: { to: 'side', p: 1, async: true } }), [slowSide]);
    expectAccounted(r);
    expect(r.combined.successes / r.combined.allowed).toBeGreaterThan(0.95);
    expect(r.admitted[3]).toBeGreaterThan(0);
  });

  it('work past the deadline fails the whole tree at the deadline and still holds the slots', () => {
    const slowEnd: Injection = { kind: 'latency', node: 'end', value: 200 }; // ~1–4 s per call
    const r = run(chain(), [slowEnd]);
    expectAccounted(r);
    expect(r.combined.successes).toBeLessThan(r.combined.allowed * 0.05);
    expect(r.peakBacklog[2]).toBeGreaterThan(10);
  });

  it('a flood fills the 3 s buffer: the entry node crashes for 120 s and parked roots fail', () => {
    const flood: Injection = { kind: 'arrivals', node: 'front', value: 100 }; // 2,000 RPS
    const r = run(chain(), [flood], 'no-gov', 30);
    expectAccounted(r);
    expect(r.crashes[0]).toBe(1);
    // Down from the crash (well under 1 s in) to the end of the 30 s window.
    expect(r.downtimeNs[0]).toBeGreaterThan(29e9);
    expect(r.downtimeNs[0]).toBeLessThanOrEqual(30e9);
    // Arrivals at the crashed entry count as Allowed and fail.
    expect(r.combined.allowed).toBeGreaterThan(55000);
    expect(r.combined.failures).toBeGreaterThan(r.combined.allowed - 1000);
  });

  it('the static limiter blocks part of a flood at the entry instead of crashing', () => {
    const flood: Injection = { kind: 'arrivals', node: 'front', value: 10 }; // 200 RPS vs a bucket of 85/s
    const r = run(chain(), [flood], 'static-limiter', 30);
    expectAccounted(r);
    expect(r.crashes).toEqual([0, 0, 0, 0]);
    expect(r.combined.blocked).toBeGreaterThan(3000);
    expect(r.combined.allowed).toBeLessThan(85 * 30 + 100);
  });

  it('is deterministic', () => {
    const a = run(chain(), [], 'levee', 10);
    const b = run(chain(), [], 'levee', 10);
    expect(b).toEqual(a);
  });
});
