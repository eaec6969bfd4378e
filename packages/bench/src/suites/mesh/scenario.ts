/**
 * The mesh scenario (docs/BENCHMARKS.md §6.5): 30 simulated minutes in phases
 * A–H, each injecting at most one stressor, with a settle window after every
 * injection.
 *
 * | phase      | window (s) | injection                                      |
 * |------------|------------|------------------------------------------------|
 * | A steady   | 0–180      | none                                           |
 * | B surge    | 180–330    | edge-api arrivals ×4, 5 s linear ramp          |
 * | B settle   | 330–420    | none                                           |
 * | C degrade  | 420–570    | db service time ×4, +0.15 error probability    |
 * | C settle   | 570–660    | none                                           |
 * | D crash    | 660–780    | payments service time ×8                       |
 * | E recovery | 780–1200   | none                                           |
 * | F overcap  | 1200–1350  | edge-api arrivals ×8, 5 s ramp                 |
 * | F settle   | 1350–1440  | none                                           |
 * | G bugstorm | 1440–1590  | catalog→inventory calls ×10                    |
 * | H recovery | 1590–1800  | none                                           |
 *
 * Windows are half-open [start, end). A ramp raises an arrival multiplier
 * linearly over the first 5 s: 1 + (M − 1)·(t − start)/5 s. A run over
 * phases "A–X" ends at the end of X's main window (A–B: 330 s, the short
 * variant; A–H: 1,800 s).
 */

export const NS_PER_S = 1e9;

export type InjectionKind = 'arrivals' | 'latency' | 'error' | 'calls';

/** One stressor: `node` (and for `calls` the callee `to`) gets `value`. */
export interface Injection {
  readonly kind: InjectionKind;
  readonly node: string;
  /** For `calls`: the callee of the multiplied edge. */
  readonly to?: string;
  /** Multiplier (arrivals, latency, calls) or added probability (error). */
  readonly value: number;
  /** Linear ramp length for `arrivals`, seconds (0 = step). */
  readonly rampS?: number;
}

export interface PhaseWindow {
  /** Phase letter, A–H. */
  readonly phase: string;
  /** e.g. "surge", "settle". */
  readonly label: string;
  readonly startS: number;
  readonly endS: number;
  readonly injections: readonly Injection[];
}

export const MESH_PHASES: readonly PhaseWindow[] = Object.freeze(
  [
    w('A', 'steady', 0, 180),
    w('B', 'surge', 180, 330, { kind: 'arrivals', node: 'edge-api', value: 4, rampS: 5 }),
    w('B', 'settle', 330, 420),
    w(
      'C',
      'degrade',
      420,
      570,
      { kind: 'latency', node: 'db', value: 4 },
      { kind: 'error', node: 'db', value: 0.15 },
    ),
    w('C', 'settle', 570, 660),
    w('D', 'crash', 660, 780, { kind: 'latency', node: 'payments', value: 8 }),
    w('E', 'recovery', 780, 1200),
    w('F', 'overcap', 1200, 1350, { kind: 'arrivals', node: 'edge-api', value: 8, rampS: 5 }),
    w('F', 'settle', 1350, 1440),
    w('G', 'bugstorm', 1440, 1590, { kind: 'calls', node: 'catalog', to: 'inventory', value: 10 }),
    w('H', 'recovery', 1590, 1800),
  ].map((p) => Object.freeze(p)),
);

function w(
  phase: string,
  label: string,
  startS: number,
  endS: number,
  ...injections: Injection[]
): PhaseWindow {
  return {
    phase,
    label,
    startS,
    endS,
    injections: Object.freeze(injections.map((i) => Object.freeze(i))),
  };
}

/** The canonical form "A-X" of a phase range (throws on a bad one). */
export function normalizePhases(phases: string, all: readonly PhaseWindow[] = MESH_PHASES): string {
  const { windows } = selectPhases(phases, all);
  return `A-${windows[windows.length - 1]!.phase}`;
}

/**
 * The windows of a run over `phases` ("A-H", "A-B", "AB", …) and its end in
 * seconds: from A to the end of the last letter's first (main) window.
 */
export function selectPhases(
  phases = 'A-H',
  all: readonly PhaseWindow[] = MESH_PHASES,
): { windows: PhaseWindow[]; endS: number } {
  const spec = phases.replace(/\s+/g, '').toUpperCase();
  const m = /^([A-H])(?:-|–)?([A-H])?$/.exec(spec);
  if (m === null || m[1] !== 'A') {
    throw new RangeError(
      `phases must be a range starting at A, like "A-H" or "A-B" (got ${phases})`,
    );
  }
  const last = m[2] ?? m[1];
  if (last < m[1]) throw new RangeError(`bad phase range ${phases}`);
  const main = all.find((p) => p.phase === last);
  if (main === undefined) throw new RangeError(`the scenario has no phase ${last}`);
  const windows = all.filter((p) => p.startS < main.endS);
  return { windows, endS: main.endS };
}

/**
 * The scenario compiled for one topology: per-node lookups of the active
 * multipliers at a time (ns). Lookups scan a node's few injections.
 */
export class Scenario {
  readonly endNs: number;
  readonly windows: readonly PhaseWindow[];
  readonly #arrivals: Active[][];
  readonly #latency: Active[][];
  readonly #error: Active[][];
  /** calls[node][edgeIndex] */
  readonly #calls: Active[][][];

  /**
   * `edgeTargets[node]` names the callee of each of the node's edges;
   * `all` defaults to the mesh scenario (tests pass their own windows).
   */
  constructor(
    names: readonly string[],
    edgeTargets: readonly (readonly string[])[],
    phases = 'A-H',
    all: readonly PhaseWindow[] = MESH_PHASES,
  ) {
    const { windows, endS } = selectPhases(phases, all);
    this.windows = windows;
    this.endNs = endS * NS_PER_S;
    const perNode = (): Active[][] => names.map(() => []);
    this.#arrivals = perNode();
    this.#latency = perNode();
    this.#error = perNode();
    this.#calls = names.map((_, i) => edgeTargets[i]!.map(() => []));
    for (const win of windows) {
      for (const inj of win.injections) {
        const node = names.indexOf(inj.node);
        if (node < 0) throw new RangeError(`scenario names unknown node ${inj.node}`);
        const active: Active = {
          start: win.startS * NS_PER_S,
          end: win.endS * NS_PER_S,
          value: inj.value,
          rampNs: (inj.rampS ?? 0) * NS_PER_S,
        };
        if (inj.kind === 'arrivals') this.#arrivals[node]!.push(active);
        else if (inj.kind === 'latency') this.#latency[node]!.push(active);
        else if (inj.kind === 'error') this.#error[node]!.push(active);
        else {
          const e = edgeTargets[node]!.indexOf(inj.to ?? '');
          if (e < 0) throw new RangeError(`scenario names unknown edge ${inj.node}→${inj.to}`);
          this.#calls[node]![e]!.push(active);
        }
      }
    }
  }

  /** Entry arrival-rate multiplier of `node` at `t` (with the linear ramp). */
  arrivalMultiplier(node: number, t: number): number {
    for (const a of this.#arrivals[node]!) {
      if (t >= a.start && t < a.end) {
        const into = t - a.start;
        if (into < a.rampNs) return 1 + ((a.value - 1) * into) / a.rampNs;
        return a.value;
      }
    }
    return 1;
  }

  /** Service-time multiplier of `node` at `t`. */
  latencyMultiplier(node: number, t: number): number {
    for (const a of this.#latency[node]!) if (t >= a.start && t < a.end) return a.value;
    return 1;
  }

  /** Extra local error probability of `node` at `t`. */
  extraError(node: number, t: number): number {
    for (const a of this.#error[node]!) if (t >= a.start && t < a.end) return a.value;
    return 0;
  }

  /** Call multiplier of edge `edge` of `node` at `t`. */
  callMultiplier(node: number, edge: number, t: number): number {
    for (const a of this.#calls[node]![edge]!) if (t >= a.start && t < a.end) return a.value;
    return 1;
  }
}

interface Active {
  start: number;
  end: number;
  value: number;
  rampNs: number;
}
