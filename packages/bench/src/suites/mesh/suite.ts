/**
 * `levee-bench mesh`: the 10-node Storefront mesh (docs/BENCHMARKS.md §6) as a
 * suite of the CLI framework (src/suites/shared/suite.ts). One job per
 * governor, runner `mesh` (`meshRunner`, which records the per-second trace
 * when given a `MeshTraceRecorder`).
 */
import type {
  Job,
  JobRunner,
  ScoreboardRow,
  Suite,
  SuiteOption,
  SuiteOptions,
} from '../shared/suite.js';
import { formatMeshReport, meshResultJson, roundTo } from './format.js';
import {
  GOVERNOR_KINDS,
  GOVERNOR_NAMES,
  type GovernorKind,
  PEER_GOVERNOR_COSTS,
} from './governors.js';
import { MESH_GUIDE } from './guide.js';
import { PUBLISHED_MESH, PUBLISHED_MESH_BEST } from './published.js';
import { FULL_PHASES, MESH_SEED, type MeshJob, type MeshResult, runMeshJob } from './runner.js';
import { normalizePhases, Scenario } from './scenario.js';
import { buildTopology } from './topology.js';
import { MeshTraceRecorder } from './trace.js';

/** The mesh suite's own options. */
export interface MeshOptions {
  /** `--phases`: phase range, e.g. `A-B`; default `A-H`. */
  phases: string;
  /** `--governors`: governor kinds in print order; default all five. */
  governors: string[];
}

type MeshSuiteOptions = SuiteOptions & Partial<MeshOptions>;

/** The runner name of mesh jobs. */
export const MESH_RUNNER = 'mesh';

/** Print (and run) order of the published table. */
export const MESH_DEFAULT_GOVERNORS: readonly GovernorKind[] = Object.freeze([
  'no-gov',
  'static-breaker',
  'static-limiter',
  'static-full',
  'levee',
]);

/**
 * Relative cost per expected entry arrival, by governor, on the scale of the
 * closed-loop jobs (about one unit per closed-loop request): measured CPU of
 * a full run is ~3 s (No-Gov, Static-Breaker), 5–6 s (Static-Limiter,
 * Static-Full) and 7 s (Levee) for ~1.02 M arrivals.
 */
const COST_PER_ARRIVAL: Readonly<Record<GovernorKind, number>> = {
  'no-gov': 10,
  'static-breaker': 10,
  'static-limiter': 20,
  'static-full': 17,
  levee: 24,
  // Peers as governors, from their entries' meshCost (full run: limiters ~4-6 s,
  // cockatiel ~8 s, opossum ~25 s).
  ...PEER_GOVERNOR_COSTS,
};

/** Runs a job; with a `MeshTraceRecorder`, also records its per-second trace. */
export const meshRunner: JobRunner<MeshJob, MeshResult, MeshTraceRecorder> = {
  run: runMeshJob,
  recording: {
    recorder: () => new MeshTraceRecorder(),
    trace: (recorder, result) => {
      const trace = recorder.trace();
      trace.candidate = result.candidate;
      return trace;
    },
  },
};

/** Expected entry arrivals of a phase range (multipliers sampled each second). */
export function expectedMeshArrivals(phases: string): number {
  const topo = buildTopology();
  const scenario = new Scenario(
    topo.names,
    topo.edges.map((l) => l.map((e) => topo.names[e.to]!)),
    phases,
  );
  let total = 0;
  for (const v of topo.entries) {
    const rps = topo.spec.nodes[v]!.entryRps;
    for (let t = 0; t < scenario.endNs; t += 1e9)
      total += rps * scenario.arrivalMultiplier(v, t + 5e8);
  }
  return Math.round(total);
}

/** Parses a comma-separated governor list (`--governors`). */
export function parseGovernors(value: string): GovernorKind[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new Error('--governors needs at least one governor');
  const seen = new Set<string>();
  return names.map((g) => {
    if (!(GOVERNOR_KINDS as readonly string[]).includes(g)) {
      throw new Error(`unknown mesh governor "${g}"; known: ${GOVERNOR_KINDS.join(', ')}`);
    }
    if (seen.has(g)) throw new Error(`mesh governor "${g}" given twice`);
    seen.add(g);
    return g as GovernorKind;
  });
}

function governorsOf(options: MeshSuiteOptions): GovernorKind[] {
  if (options.governors !== undefined) return parseGovernors(options.governors.join(','));
  if (options.candidates !== undefined) return governorsForCandidates(options.candidates);
  return [...MESH_DEFAULT_GOVERNORS];
}

/**
 * The governors standing in for a `--candidates` list (`levee-bench all`):
 * `no-cb` → No-Gov; `static-bau` or `static-peak` → the three static
 * governors; `levee` → Levee; each peer → itself as a governor. Published
 * ones in the published order, then the peers in the order given.
 */
export function governorsForCandidates(candidates: readonly string[]): GovernorKind[] {
  const has = (c: string): boolean => candidates.includes(c);
  const anyStatic = has('static-bau') || has('static-peak');
  const published = MESH_DEFAULT_GOVERNORS.filter((g) =>
    g === 'no-gov' ? has('no-cb') : g === 'levee' ? has('levee') : anyStatic,
  );
  const peers = candidates.filter((c): c is GovernorKind =>
    (GOVERNOR_KINDS as readonly string[]).includes(c),
  );
  return [...published, ...peers.filter((g) => !published.includes(g))];
}

function phasesOf(options: MeshSuiteOptions): string {
  return normalizePhases(options.phases ?? FULL_PHASES);
}

/** The mesh suite's own command-line options. */
export const MESH_OPTIONS: readonly SuiteOption<MeshOptions>[] = Object.freeze([
  {
    flag: 'phases',
    value: 'RANGE',
    help: 'Scenario phases to run, from A: A-H (the full 30 minutes, default) or a prefix such as A-B (the 330 s short run: steady load and the 4x surge). Published figures apply to A-H with the default seed only.',
    field: 'phases',
    parse: (value: string): string => normalizePhases(value),
  },
  {
    flag: 'governors',
    value: 'LIST',
    help: `Comma-separated governors, printed in this order. Known: ${GOVERNOR_KINDS.join(', ')}. Default: ${MESH_DEFAULT_GOVERNORS.join(',')}.`,
    field: 'governors',
    parse: (value: string): string[] => parseGovernors(value),
  },
]);

/** True when the run is the published one (seed 20241225, phases A–H). */
export function isPublishedMeshSetup(seed: number, phases: string): boolean {
  return seed === MESH_SEED && phases.replace(/\s+/g, '').toUpperCase() === FULL_PHASES;
}

/** The scoreboard row: MeshDelta, Levee vs every other governor run; undefined without Levee. */
export function meshScoreboardRow(results: readonly MeshResult[]): ScoreboardRow | undefined {
  const levee = results.find((r) => r.governor === 'levee');
  if (levee === undefined) return undefined;
  const row: ScoreboardRow = {
    suite: 'mesh',
    configuration: `Storefront ${levee.phases} (${levee.durationS} s)`,
    metric: 'MeshDelta',
    higherIsBetter: true,
    levee: levee.meshDelta,
    competitors: results
      .filter((r) => r !== levee)
      .map((r) => ({ name: r.candidate, value: r.meshDelta })),
  };
  if (isPublishedMeshSetup(levee.seed, levee.phases)) {
    row.reference = {
      levee: PUBLISHED_MESH.levee.meshDelta,
      best: PUBLISHED_MESH_BEST.meshDelta,
      bestName: PUBLISHED_MESH_BEST.name,
    };
  }
  return row;
}

interface MeshPlan {
  options: SuiteOptions;
  phases: string;
  governors: GovernorKind[];
}

export const meshSuite: Suite<MeshJob, MeshResult, MeshPlan, MeshOptions> = {
  name: 'mesh',
  summary: 'a 10-service mesh with per-replica inbound and per-edge governors (30 min)',
  description: `Simulates the 10-node "Storefront" service mesh (two entry points, fan-out,
fan-in at db, an async callback cycle) for 30 simulated minutes: steady load,
a 4x surge, a slow and flaky db, a payments brown-out, an 8x flood beyond
capacity and a call-amplifying bug (phases A-H). Every node autoscales,
queues into worker slots and crashes for 120 s when its 3 s buffer fills.
Each governor guards every replica's inbound admissions and outbound edges:
No-Gov, Static-Breaker (per-edge consecutive-failure breakers),
Static-Limiter (per-replica token bucket + per-edge max-inflight),
Static-Full (both) and Levee (one instance inbound and one per edge, SLO
0.90 / 1,500 ms). Per-call randomness is hashed from call ids, so all
governors see the same draws. Scoring: MeshDelta = (SuccessScore -
FailureScore) x Allowed / (Allowed + Blocked) over the combined entry
stream (200 ms epochs, as in closed-loop); higher is better. --candidates
picks governors by candidate: no-cb gives No-Gov, static-bau or static-peak
the three static governors, levee Levee, and each peer (e.g. aimd) runs as a
governor placed like Levee; --governors names governors directly.`,
  options: ['candidates', 'seed', 'json', 'out', 'jobs', ...MESH_OPTIONS],
  // Stand-ins for the governors (governorsForCandidates): these four give the five published ones.
  defaultCandidates: ['no-cb', 'levee', 'static-bau', 'static-peak'],
  defaults: { seed: String(MESH_SEED) },

  guide: MESH_GUIDE,
  runners: { [MESH_RUNNER]: meshRunner },

  plan(options) {
    return { options, phases: phasesOf(options), governors: governorsOf(options) };
  },

  jobs(plan) {
    const arrivals = expectedMeshArrivals(plan.phases);
    return plan.governors.map(
      (governor): Job<MeshJob> => ({
        runner: MESH_RUNNER,
        params: { governor, seed: plan.options.seed, phases: plan.phases },
        label: `mesh / ${GOVERNOR_NAMES[governor]}`,
        cost: arrivals * COST_PER_ARRIVAL[governor],
      }),
    );
  },

  reduce(plan, results) {
    const row = meshScoreboardRow(results);
    const rounded =
      row === undefined
        ? []
        : [
            {
              ...row,
              levee: roundTo(row.levee, 2),
              competitors: row.competitors.map((c) => ({
                name: c.name,
                value: roundTo(c.value, 2),
              })),
            },
          ];
    return {
      text: formatMeshReport(results),
      json: {
        suite: 'mesh',
        config: {
          topology: 'Storefront',
          seed: plan.options.seed,
          phases: plan.phases,
          durationS: results[0]?.durationS ?? null,
          governors: plan.governors,
        },
        results: results.map(meshResultJson),
        scoreboard: rounded,
      },
      scoreboard: row === undefined ? [] : [row],
    };
  },
};
