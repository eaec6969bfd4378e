/**
 * The mesh benchmark's service graph (docs/BENCHMARKS.md §6.1): the 10-node
 * "Storefront" topology, its provisioning profile, the validation rules and
 * every quantity derived from the profile (design replicas, worker slots,
 * mean local and subtree latencies).
 *
 * Node and edge order is the order of the spec's table; it is part of the
 * model (edge indices feed the per-call hashes, node order the solver).
 */
import { analyticMeanMs } from '../../sim/workload/latency-profile.js';
import { solveSteadyState } from './steady-state.js';

/** One outbound edge: every call of the owner makes `p` calls to `to` on average. */
export interface EdgeSpec {
  /** Name of the callee. */
  readonly to: string;
  /** Expected calls per call of the caller (may exceed 1 under a call multiplier). */
  readonly p: number;
  /** Async edges are fire-and-forget callbacks: the caller never waits for them. */
  readonly async: boolean;
}

/** A service of the mesh with its provisioning profile. */
export interface NodeSpec {
  readonly name: string;
  /** External (entry) arrivals per second; 0 for internal services. */
  readonly entryRps: number;
  /** Capacity unit of one replica, requests per second (HPA and sizing). */
  readonly rpsPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Local service-time profile, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly edges: readonly EdgeSpec[];
}

export interface TopologySpec {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
  /** Network latency added to every call on an edge, ms. */
  readonly hopLatencyMs: number;
  /** Deadline of an entry request (and of a detached async call), ms. */
  readonly rootDeadlineMs: number;
  /** Hop budget of an entry request. */
  readonly hopBudget: number;
}

const sync = (to: string, p: number): EdgeSpec => ({ to, p, async: false });
const async = (to: string, p: number): EdgeSpec => ({ to, p, async: true });

/** The 10-node Storefront topology of §6.1. */
export const STOREFRONT: TopologySpec = deepFreeze({
  name: 'Storefront',
  hopLatencyMs: 1,
  rootDeadlineMs: 1500,
  hopBudget: 8,
  nodes: [
    node('edge-api', 300, 100, 2, 16, 5, 20, [
      sync('catalog', 0.8),
      sync('orders', 0.25),
      async('audit', 0.02),
    ]),
    node('admin-api', 20, 25, 1, 4, 10, 40, [sync('catalog', 0.5), sync('inventory', 0.5)]),
    node('catalog', 0, 100, 2, 12, 10, 40, [sync('pricing', 1.0), sync('inventory', 0.5)]),
    node('pricing', 0, 100, 2, 12, 8, 30, [sync('db', 1.0)]),
    node('orders', 0, 50, 2, 12, 15, 60, [sync('inventory', 1.0), sync('payments', 1.0)]),
    node('inventory', 0, 100, 2, 12, 10, 40, [sync('db', 1.0)]),
    node('payments', 0, 50, 2, 12, 20, 80, [sync('db', 1.0), async('notify', 1.0)]),
    node('db', 0, 200, 3, 16, 5, 25, []),
    node('notify', 0, 50, 2, 12, 10, 40, [async('orders', 0.3)]),
    node('audit', 0, 10, 1, 2, 20, 100, []),
  ],
});

function node(
  name: string,
  entryRps: number,
  rpsPerReplica: number,
  minReplicas: number,
  maxReplicas: number,
  p50Ms: number,
  p99Ms: number,
  edges: EdgeSpec[],
): NodeSpec {
  return { name, entryRps, rpsPerReplica, minReplicas, maxReplicas, p50Ms, p99Ms, edges };
}

/** HPA target utilisation, also the sizing target of the design replica count. */
export const TARGET_UTILIZATION = 0.7;
/** Steady RPS must stay below this fraction of a node's maximum capacity. */
export const MAX_CAPACITY_FRACTION = 0.85;
/** A caller above this multiple of a callee's max capacity must use a small p. */
export const FAN_IN_FACTOR = 2;
/** The small p such a caller must stay within. */
export const FAN_IN_MAX_P = 0.05;

/** An edge resolved to node indices. */
export interface Edge {
  /** Index of the edge in its caller's edge list (feeds the call hashes). */
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly p: number;
  readonly async: boolean;
}

/** The topology with every profile-derived quantity. */
export interface Topology {
  readonly spec: TopologySpec;
  readonly names: readonly string[];
  /** Outbound edges per node (by node index). */
  readonly edges: readonly (readonly Edge[])[];
  /** Entry nodes in node order; the position is the entry "slot". */
  readonly entries: readonly number[];
  /** Solved steady-state RPS per node. */
  readonly steadyRps: readonly number[];
  /** ceil(steady / (0.7 × RPS/replica)), clamped to [min, max]. */
  readonly designReplicas: readonly number[];
  /** Mean of the local latency profile (timeout = root deadline), ms. */
  readonly meanLatencyMs: readonly number[];
  /** ceil(RPS/replica × mean latency) worker slots per replica. */
  readonly slotsPerReplica: readonly number[];
  /** Local mean + deepest probability-weighted sync branch incl. hops, ms. */
  readonly subtreeMeanMs: readonly number[];
}

export class TopologyError extends Error {
  override name = 'TopologyError';
}

/**
 * Resolves names, solves the steady state, checks the validation rules of
 * §6.1 and derives the sizing quantities. Throws `TopologyError` on a broken
 * topology.
 */
export function buildTopology(spec: TopologySpec = STOREFRONT): Topology {
  const names = spec.nodes.map((n) => n.name);
  if (new Set(names).size !== names.length) throw new TopologyError('duplicate node names');
  const edges = spec.nodes.map((n, from) =>
    n.edges.map((e, index): Edge => {
      const to = names.indexOf(e.to);
      if (to < 0) throw new TopologyError(`${n.name} calls unknown node ${e.to}`);
      if (!(e.p > 0)) throw new TopologyError(`${n.name}→${e.to}: p must be > 0`);
      return { index, from, to, p: e.p, async: e.async };
    }),
  );
  const entries: number[] = [];
  spec.nodes.forEach((n, i) => {
    if (n.entryRps > 0) entries.push(i);
  });
  const steadyRps = solveSteadyState(
    spec.nodes.map((n) => n.entryRps),
    edges,
  );
  const problems = validationProblems(spec, edges, steadyRps);
  if (problems.length > 0) throw new TopologyError(problems.join('; '));

  const meanLatencyMs = spec.nodes.map((n) =>
    analyticMeanMs(n.p50Ms, n.p99Ms, spec.rootDeadlineMs),
  );
  const designReplicas = spec.nodes.map((n, i) =>
    clamp(
      Math.ceil(steadyRps[i]! / (TARGET_UTILIZATION * n.rpsPerReplica)),
      n.minReplicas,
      n.maxReplicas,
    ),
  );
  const slotsPerReplica = spec.nodes.map((n, i) =>
    Math.ceil((n.rpsPerReplica * meanLatencyMs[i]!) / 1000),
  );
  const subtreeMeanMs = subtreeMeans(edges, meanLatencyMs, spec.hopLatencyMs);
  return {
    spec,
    names,
    edges,
    entries,
    steadyRps,
    designReplicas,
    meanLatencyMs,
    slotsPerReplica,
    subtreeMeanMs,
  };
}

/**
 * The validation rules of §6.1, as messages (empty when the topology is fine):
 * steady RPS fits within max replicas at 70 % and below 85 % of max capacity;
 * a caller whose steady RPS exceeds 2× a callee's max capacity uses p ≤ 0.05;
 * sync edges are acyclic.
 */
export function validationProblems(
  spec: TopologySpec,
  edges: readonly (readonly Edge[])[],
  steadyRps: readonly number[],
): string[] {
  const problems: string[] = [];
  const maxCapacity = spec.nodes.map((n) => n.maxReplicas * n.rpsPerReplica);
  spec.nodes.forEach((n, i) => {
    const steady = steadyRps[i]!;
    if (!(n.minReplicas >= 1 && n.maxReplicas >= n.minReplicas)) {
      problems.push(`${n.name}: replicas must satisfy 1 ≤ min ≤ max`);
    }
    if (steady > TARGET_UTILIZATION * maxCapacity[i]!) {
      problems.push(
        `${n.name}: steady ${fmt(steady)} RPS does not fit ${n.maxReplicas} replicas at 70%`,
      );
    }
    if (!(steady < MAX_CAPACITY_FRACTION * maxCapacity[i]!)) {
      problems.push(`${n.name}: steady ${fmt(steady)} RPS is not below 85% of max capacity`);
    }
    for (const e of edges[i]!) {
      if (steady > FAN_IN_FACTOR * maxCapacity[e.to]! && e.p > FAN_IN_MAX_P) {
        problems.push(
          `${n.name}→${spec.nodes[e.to]!.name}: caller steady ${fmt(steady)} RPS exceeds 2× the callee's max capacity, so p must be ≤ 0.05 (is ${e.p})`,
        );
      }
    }
  });
  const cycle = findSyncCycle(edges);
  if (cycle !== undefined) {
    problems.push(`sync edges form a cycle: ${cycle.map((i) => spec.nodes[i]!.name).join(' → ')}`);
  }
  return problems;
}

/** A cycle of sync edges as node indices (first node repeated at the end), if any. */
export function findSyncCycle(edges: readonly (readonly Edge[])[]): number[] | undefined {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Array<number>(edges.length).fill(WHITE);
  const stack: number[] = [];
  const visit = (v: number): number[] | undefined => {
    color[v] = GREY;
    stack.push(v);
    for (const e of edges[v]!) {
      if (e.async) continue;
      if (color[e.to] === GREY) return [...stack.slice(stack.indexOf(e.to)), e.to];
      if (color[e.to] === WHITE) {
        const found = visit(e.to);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    color[v] = BLACK;
    return undefined;
  };
  for (let v = 0; v < edges.length; v++) {
    if (color[v] === WHITE) {
      const found = visit(v);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Subtree mean latency per node: local mean plus the deepest
 * probability-weighted sync branch, max over sync edges of p × (hop + callee
 * subtree). Requires acyclic sync edges.
 */
function subtreeMeans(
  edges: readonly (readonly Edge[])[],
  localMs: readonly number[],
  hopMs: number,
): number[] {
  const memo = new Array<number | undefined>(edges.length).fill(undefined);
  const subtree = (v: number): number => {
    const known = memo[v];
    if (known !== undefined) return known;
    let deepest = 0;
    for (const e of edges[v]!) {
      if (e.async) continue;
      const branch = e.p * (hopMs + subtree(e.to));
      if (branch > deepest) deepest = branch;
    }
    const value = localMs[v]! + deepest;
    memo[v] = value;
    return value;
  };
  return edges.map((_, v) => subtree(v));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

function fmt(x: number): string {
  return x.toFixed(2);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
