import { describe, expect, it } from 'vitest';
import { SteadyStateError, solveSteadyState } from '../../../src/suites/mesh/steady-state.js';
import {
  buildTopology,
  type Edge,
  findSyncCycle,
  type NodeSpec,
  STOREFRONT,
  TopologyError,
  type TopologySpec,
  validationProblems,
} from '../../../src/suites/mesh/topology.js';

const topo = buildTopology(STOREFRONT);
const byName = (values: readonly number[]): Record<string, number> =>
  Object.fromEntries(topo.names.map((n, i) => [n, values[i]!]));

describe('Storefront topology (§6.1)', () => {
  it('has the ten nodes of the table, in order, with their edges', () => {
    expect(topo.names).toEqual([
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
    ]);
    const edges = (name: string) =>
      topo.edges[topo.names.indexOf(name)]!.map(
        (e) => `${topo.names[e.to]} ${e.p}${e.async ? ' async' : ''}`,
      );
    expect(edges('edge-api')).toEqual(['catalog 0.8', 'orders 0.25', 'audit 0.02 async']);
    expect(edges('admin-api')).toEqual(['catalog 0.5', 'inventory 0.5']);
    expect(edges('catalog')).toEqual(['pricing 1', 'inventory 0.5']);
    expect(edges('payments')).toEqual(['db 1', 'notify 1 async']);
    expect(edges('notify')).toEqual(['orders 0.3 async']);
    expect(edges('db')).toEqual([]);
    expect(topo.entries.map((i) => topo.names[i])).toEqual(['edge-api', 'admin-api']);
    expect(topo.spec.hopLatencyMs).toBe(1);
    expect(topo.spec.rootDeadlineMs).toBe(1500);
    expect(topo.spec.hopBudget).toBe(8);
  });

  it('solves the steady state of the table (orders = 75 / 0.7 with the callback cycle)', () => {
    const s = byName(topo.steadyRps);
    expect(s['edge-api']).toBe(300);
    expect(s['admin-api']).toBe(20);
    expect(s.catalog).toBe(250);
    expect(s.pricing).toBe(250);
    expect(s.orders).toBeCloseTo(75 / 0.7, 1);
    expect(s.payments).toBeCloseTo(107.14, 1);
    expect(s.notify).toBeCloseTo(107.14, 1);
    expect(s.inventory).toBeCloseTo(242.14, 1);
    expect(s.db).toBeCloseTo(599.28, 1);
    expect(s.audit).toBe(6);
    // The exact iterate (in-place iteration from zero, stopped below 0.01 RPS change).
    expect(s.orders).toBe(107.14074825);
  });

  it('derives design replicas, slots and latencies as in the spec', () => {
    expect(topo.designReplicas).toEqual([5, 2, 4, 4, 4, 4, 4, 5, 4, 1]);
    expect(topo.slotsPerReplica).toEqual([2, 1, 3, 2, 2, 3, 2, 3, 2, 1]);
    expect(topo.meanLatencyMs.map((x) => x.toFixed(3))).toEqual([
      '14.018',
      '20.535',
      '20.535',
      '17.743',
      '27.053',
      '20.535',
      '33.570',
      '14.431',
      '20.535',
      '35.224',
    ]);
    expect(topo.subtreeMeanMs.map((x) => x.toFixed(3))).toEqual([
      '58.585',
      '48.390',
      '54.709',
      '33.174',
      '77.054',
      '35.966',
      '49.001',
      '14.431',
      '20.535',
      '35.224',
    ]);
  });

  it('passes its own validation rules', () => {
    expect(validationProblems(STOREFRONT, topo.edges, topo.steadyRps)).toEqual([]);
  });
});

describe('validation rules', () => {
  const withNode = (name: string, patch: Partial<NodeSpec>): TopologySpec => ({
    ...STOREFRONT,
    nodes: STOREFRONT.nodes.map((n) => (n.name === name ? { ...n, ...patch } : n)),
  });

  it('rejects steady RPS that does not fit max replicas at 70%', () => {
    // db steady ≈ 599 RPS; 4 × 200 × 0.7 = 560 < 599.
    expect(() => buildTopology(withNode('db', { maxReplicas: 4 }))).toThrow(
      /db: steady 599\.28 RPS does not fit/,
    );
  });

  it('rejects steady RPS at or above 85% of max capacity', () => {
    // audit steady 6 RPS with 1 × 7 RPS max: 6 > 0.7 × 7 and 6 ≥ 0.85 × 7.
    const spec = withNode('audit', { rpsPerReplica: 7, maxReplicas: 1 });
    const t = {
      edges: buildEdges(spec),
      steady: [300, 20, 250, 250, 107.14, 242.14, 107.14, 599.28, 107.14, 6],
    };
    const problems = validationProblems(spec, t.edges, t.steady);
    expect(problems.some((p) => p.includes('audit') && p.includes('85%'))).toBe(true);
  });

  it('requires p ≤ 0.05 from a caller above 2× the callee max capacity', () => {
    const spec: TopologySpec = {
      ...STOREFRONT,
      nodes: STOREFRONT.nodes.map((n) =>
        n.name === 'edge-api'
          ? { ...n, edges: n.edges.map((e) => (e.to === 'audit' ? { ...e, p: 0.06 } : e)) }
          : n,
      ),
    };
    expect(() => buildTopology(spec)).toThrow(/edge-api→audit.*p must be ≤ 0\.05/);
  });

  it('rejects sync cycles but allows async ones', () => {
    const cyclic: TopologySpec = {
      ...STOREFRONT,
      nodes: STOREFRONT.nodes.map((n) =>
        n.name === 'db' ? { ...n, edges: [{ to: 'pricing', p: 0.01, async: false }] } : n,
      ),
    };
    expect(() => buildTopology(cyclic)).toThrow(TopologyError);
    expect(() => buildTopology(cyclic)).toThrow(/sync edges form a cycle: pricing → db → pricing/);
    // notify → orders is async: no cycle reported for the Storefront.
    expect(findSyncCycle(topo.edges)).toBeUndefined();
  });

  it('rejects unknown callees and duplicate names', () => {
    expect(() =>
      buildTopology({
        ...STOREFRONT,
        nodes: [
          ...STOREFRONT.nodes.slice(0, 9),
          { ...STOREFRONT.nodes[9]!, edges: [{ to: 'nope', p: 1, async: false }] },
        ],
      }),
    ).toThrow(/unknown node nope/);
    expect(() =>
      buildTopology({ ...STOREFRONT, nodes: [...STOREFRONT.nodes, STOREFRONT.nodes[0]!] }),
    ).toThrow(/duplicate/);
  });
});

describe('steady-state solver', () => {
  it('iterates in place from zero and stops below 0.01 RPS of change', () => {
    // a → b (p 1), b → a (p 0.5): a = 10 + 0.5 b, b = a → a = 20.
    const edges = [[{ to: 1, p: 1 }], [{ to: 0, p: 0.5 }]];
    const s = solveSteadyState([10, 0], edges);
    expect(s[0]).toBeCloseTo(20, 1);
    expect(Math.abs(s[0]! - 20)).toBeLessThan(0.02);
    expect(s[1]).toBe(s[0]);
  });

  it('throws when the gain of a cycle is ≥ 1', () => {
    expect(() => solveSteadyState([1, 0], [[{ to: 1, p: 1 }], [{ to: 0, p: 1 }]])).toThrow(
      SteadyStateError,
    );
  });
});

function buildEdges(spec: TopologySpec): Edge[][] {
  const names = spec.nodes.map((n) => n.name);
  return spec.nodes.map((n, from) =>
    n.edges.map((e, index) => ({ index, from, to: names.indexOf(e.to), p: e.p, async: e.async })),
  );
}
