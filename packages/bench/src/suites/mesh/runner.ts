/**
 * Runs one mesh job: one governor over the Storefront topology and the
 * scenario (docs/BENCHMARKS.md §6), returning a plain, JSON-serialisable result
 * that depends only on the job (no wall-clock figures).
 */
import { MeshEngine, type MeshTracer } from './engine.js';
import {
  GOVERNOR_KINDS,
  GOVERNOR_NAMES,
  GovernorFactory,
  type GovernorKind,
  type RoleStats,
} from './governors.js';
import type { StreamScore } from './metrics.js';
import { normalizePhases, Scenario } from './scenario.js';
import { buildTopology, STOREFRONT } from './topology.js';

/** The benchmark seed (docs/BENCHMARKS.md §7). */
export const MESH_SEED = 20241225;
/** The full scenario. */
export const FULL_PHASES = 'A-H';

/** A serialisable mesh job. */
export interface MeshJob {
  governor: GovernorKind;
  /** Defaults to 20241225. */
  seed?: number;
  /** Phase range, "A-H" (default, 1,800 s) or e.g. "A-B" (330 s). */
  phases?: string;
}

export interface MeshEntryResult extends StreamScore {
  node: string;
}

export interface MeshNodeResult {
  node: string;
  crashes: number;
  /** Seconds crashed within the scenario window. */
  downtimeS: number;
  /** Calls admitted by the node. */
  admitted: number;
  peakReplicas: number;
  peakBacklog: number;
}

/** Dwell of all Levee instances of one role, seconds summed over instances. */
export interface MeshRoleResult {
  instances: number;
  closedS: number;
  throttledS: number;
  /** OPEN and HALF_OPEN. */
  openS: number;
  transitions: number;
}

export interface MeshResult extends StreamScore {
  governor: GovernorKind;
  /** Display name, e.g. `Static-Limiter`. */
  candidate: string;
  seed: number;
  phases: string;
  durationS: number;
  /** Delta of the combined entry stream (same as `delta`). */
  meshDelta: number;
  /** Per entry node, in entry order (edge-api, admin-api). */
  entries: MeshEntryResult[];
  /** Per node, in topology order. */
  nodes: MeshNodeResult[];
  totalCrashes: number;
  /** Levee only: state dwell and transitions per role (inbound, edge). */
  levee?: { inbound: MeshRoleResult; edge: MeshRoleResult };
  /** Events processed (a cost measure). */
  events: number;
}

/** Validates a job and fills in the defaults. */
export function normalizeMeshJob(job: MeshJob): Required<MeshJob> {
  if (!GOVERNOR_KINDS.includes(job.governor)) {
    throw new RangeError(
      `unknown mesh governor ${JSON.stringify(job.governor)}; known: ${GOVERNOR_KINDS.join(', ')}`,
    );
  }
  const seed = job.seed ?? MESH_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer (got ${seed})`);
  }
  const phases = normalizePhases(job.phases ?? FULL_PHASES); // throws on a bad range
  return { governor: job.governor, seed, phases };
}

/** Runs one job; `tracer` (optional) records per-second series without changing the result. */
export function runMeshJob(
  job: MeshJob,
  onProgress?: (fractionDone: number) => void,
  tracer?: MeshTracer,
): MeshResult {
  const { governor, seed, phases } = normalizeMeshJob(job);
  const topology = buildTopology(STOREFRONT);
  const scenario = new Scenario(
    topology.names,
    topology.edges.map((list) => list.map((e) => topology.names[e.to]!)),
    phases,
  );
  const factory = new GovernorFactory(governor, topology);
  const r = new MeshEngine(topology, scenario, factory, seed, tracer).run(onProgress);
  const result: MeshResult = {
    governor,
    candidate: GOVERNOR_NAMES[governor],
    seed,
    phases,
    durationS: scenario.endNs / 1e9,
    ...r.combined,
    meshDelta: r.combined.delta,
    entries: r.entries.map((e, slot) => ({ node: topology.names[topology.entries[slot]!]!, ...e })),
    nodes: topology.names.map((node, i) => ({
      node,
      crashes: r.crashes[i]!,
      downtimeS: r.downtimeNs[i]! / 1e9,
      admitted: r.admitted[i]!,
      peakReplicas: r.peakReplicas[i]!,
      peakBacklog: r.peakBacklog[i]!,
    })),
    totalCrashes: r.crashes.reduce((a, b) => a + b, 0),
    events: r.events,
  };
  if (governor === 'levee') {
    result.levee = { inbound: role(factory.inboundStats), edge: role(factory.edgeStats) };
  }
  return result;
}

function role(s: RoleStats): MeshRoleResult {
  return {
    instances: s.instances,
    closedS: s.dwellNs[0] / 1e9,
    throttledS: s.dwellNs[1] / 1e9,
    openS: s.dwellNs[2] / 1e9,
    transitions: s.transitions,
  };
}
