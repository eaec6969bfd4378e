/**
 * Mesh governors (docs/BENCHMARKS.md §6.4): what guards each node replica's
 * inbound admissions and each of its outbound edges.
 *
 * - Levee: per replica one inbound instance plus one per outbound edge, SLO
 *   0.90 / 1,500 ms.
 * - No-Gov: admits everything.
 * - The static candidates of revision `bf42c22`, sized only from the
 *   provisioning profile:
 *   - Static-Limiter: a per-replica token bucket at 0.85 × RPS/replica (burst
 *     1 s of tokens, starts full) plus a per-edge max-inflight limiter with
 *     cap ceil(max(1.5m, m + 3√m)), at least 2, where
 *     m = p × RPS/replica × subtreeMean(callee) / 1000;
 *   - Static-Breaker: a per-edge `StaticCB` (BAU) only, no inbound protection;
 *   - Static-Full: both; sync-edge breakers use the dead-edge config
 *     (20 / 3 / 10 s / 1), async edges keep BAU. The breaker is consulted
 *     first; a limiter rejection cancels the breaker's admission.
 *
 * - A peer candidate (any key of the registry's `peers` group, e.g. `aimd`,
 *   `opossum-tuned`): not in the published table; placed like Levee, one
 *   instance inbound and one per outbound edge per replica.
 *
 * A governor instance set belongs to one replica; `NodeGovernor` keeps one per
 * live replica (new ones cold), picks them round-robin and drops them all
 * when the node crashes. The token bucket is also refilled when an admitted
 * call's outcome comes back (the static candidates look at their bucket then,
 * and the bucket refills whenever it is looked at); that timing is part of the
 * model's float arithmetic.
 *
 * Levee dwell statistics (diagnostics only): each instance is CLOSED from its
 * creation and changes group whenever a call returns another state; time is
 * summed per role (inbound, edge) until the instance dies or the run ends.
 */
import { Levee } from '@leveejs/levee';
import type { Candidate } from '../../candidates/candidate.js';
import {
  createCandidate,
  PEER_CANDIDATES,
  PEER_KEYS,
  type PeerKey,
} from '../../candidates/registry.js';
import { STATIC_BAU, StaticCB, type StaticCBConfig } from '../../candidates/static-cb.js';
import type { Topology } from './topology.js';

/** The governors of one node replica. Times and durations are ns. */
export interface ReplicaGovernor {
  /** Inbound admission of a call at `t`. */
  admit(t: number): boolean;
  /** Outcome of a call this replica admitted. */
  done(t: number, ok: boolean, durationNs: number): void;
  /** Admission of an outbound call on edge `edge` (caller's edge index). */
  edgeAdmit(edge: number, t: number): boolean;
  /** Outcome of an outbound call this replica admitted on `edge`. */
  edgeDone(edge: number, t: number, ok: boolean, durationNs: number): void;
}

/** The governors of the published mesh table. */
export type PublishedGovernorKind =
  | 'levee'
  | 'no-gov'
  | 'static-limiter'
  | 'static-breaker'
  | 'static-full';

/** A published governor, or a peer candidate (by its registry key) used as a governor. */
export type GovernorKind = PublishedGovernorKind | PeerKey;

export const GOVERNOR_KINDS: readonly GovernorKind[] = Object.freeze([
  'no-gov',
  'static-breaker',
  'static-limiter',
  'static-full',
  'levee',
  ...PEER_KEYS,
]);

export const GOVERNOR_NAMES: Readonly<Record<GovernorKind, string>> = Object.freeze({
  'no-gov': 'No-Gov',
  'static-breaker': 'Static-Breaker',
  'static-limiter': 'Static-Limiter',
  'static-full': 'Static-Full',
  levee: 'Levee',
  ...(Object.fromEntries(PEER_CANDIDATES.map((c) => [c.key, c.displayName])) as Record<
    PeerKey,
    string
  >),
});

/**
 * Cost of a mesh job per expected entry arrival for each peer governor: the
 * peer entry's `meshCost` (a scheduling hint only).
 */
export const PEER_GOVERNOR_COSTS: Readonly<Record<PeerKey, number>> = Object.freeze(
  Object.fromEntries(PEER_CANDIDATES.map((c) => [c.key, c.meshCost])) as Record<PeerKey, number>,
);

/** True for a peer candidate used as a governor. */
export function isPeerGovernor(kind: GovernorKind): kind is PeerKey {
  return (PEER_KEYS as readonly string[]).includes(kind);
}

/** The SLO every Levee instance of the mesh is built with. */
export const MESH_SLO = Object.freeze({ successRate: 0.9, timeoutMs: 1500 });

/** Breaker for dead sync edges (Static-Full): trips only at near-total failure. */
export const STATIC_DEAD_EDGE: StaticCBConfig = Object.freeze({
  failureThreshold: 20,
  successThreshold: 3,
  halfOpenTimeoutNs: 10e9,
  halfOpenMaxCalls: 1,
});

/** Token-bucket rate as a fraction of RPS/replica. */
export const BUCKET_FRACTION = 0.85;
/** Burst of the token bucket, seconds of tokens. */
export const BUCKET_BURST_S = 1;

/** Edge max-inflight cap: ceil(max(1.5m, m + 3√m)), at least 2. */
export function edgeCap(m: number): number {
  return Math.max(2, Math.ceil(Math.max(1.5 * m, m + 3 * Math.sqrt(m))));
}

/** Static sizing derived from the provisioning profile. */
export interface StaticSizing {
  /** Per-replica token-bucket rate per node, tokens/s. */
  readonly bucketRate: readonly number[];
  /** Max-inflight cap per node per edge. */
  readonly edgeCaps: readonly (readonly number[])[];
}

export function staticSizing(topology: Topology): StaticSizing {
  const nodes = topology.spec.nodes;
  return {
    bucketRate: nodes.map((n) => BUCKET_FRACTION * n.rpsPerReplica),
    edgeCaps: topology.edges.map((list, i) =>
      list.map((e) =>
        edgeCap((e.p * nodes[i]!.rpsPerReplica * topology.subtreeMeanMs[e.to]!) / 1000),
      ),
    ),
  };
}

/**
 * Token bucket on ns virtual time: `rate` tokens/s up to `burst`, starts full.
 * Refills lazily, only when time moved forward:
 * tokens = min(burst, tokens + rate·Δns / 1e9). `saturated(t)` refills too, so
 * every observation at a later time advances the bucket (the float sums of
 * the refills depend on when it is looked at, which the model keeps).
 */
export class TokenBucket {
  tokens: number;
  #lastNs = 0;
  readonly #rate: number;
  readonly #burst: number;

  constructor(rate: number, burst: number) {
    this.#rate = rate;
    this.#burst = burst;
    this.tokens = burst;
  }

  refill(now: number): void {
    if (now > this.#lastNs) {
      const t = this.tokens + (this.#rate * (now - this.#lastNs)) / 1e9;
      this.tokens = Math.min(this.#burst, t);
      this.#lastNs = now;
    }
  }

  /** Takes a token at `now` if one is available. */
  allow(now: number): boolean {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens--;
      return true;
    }
    return false;
  }

  /** True when no token is available at `now` (refills first). */
  saturated(now: number): boolean {
    this.refill(now);
    return this.tokens < 1;
  }
}

/** Admits while fewer than `cap` calls are in flight. */
export class MaxInflight {
  inflight = 0;
  readonly cap: number;

  constructor(cap: number) {
    this.cap = cap;
  }

  acquire(): boolean {
    if (this.inflight >= this.cap) return false;
    this.inflight++;
    return true;
  }

  release(): void {
    if (this.inflight > 0) this.inflight--;
  }
}

/** The stateless No-Gov replica governor. */
const NO_GOV: ReplicaGovernor = Object.freeze({
  admit: () => true,
  done: () => {},
  edgeAdmit: () => true,
  edgeDone: () => {},
});

/** Static candidates: optional bucket, optional per-edge limiter and breaker. */
class StaticReplica implements ReplicaGovernor {
  readonly #bucket: TokenBucket | undefined;
  readonly #limiters: (MaxInflight | undefined)[];
  readonly #breakers: (StaticCB | undefined)[];

  constructor(
    bucket: TokenBucket | undefined,
    limiters: (MaxInflight | undefined)[],
    breakers: (StaticCB | undefined)[],
  ) {
    this.#bucket = bucket;
    this.#limiters = limiters;
    this.#breakers = breakers;
  }

  admit(t: number): boolean {
    return this.#bucket === undefined ? true : this.#bucket.allow(t);
  }

  /** The outcome itself is ignored; looking at the bucket refills it. */
  done(t: number): void {
    this.#bucket?.refill(t);
  }

  edgeAdmit(edge: number, t: number): boolean {
    const cb = this.#breakers[edge];
    if (cb !== undefined && !cb.start(t)) return false;
    const lim = this.#limiters[edge];
    if (lim !== undefined && !lim.acquire()) {
      cb?.cancel();
      return false;
    }
    return true;
  }

  edgeDone(edge: number, t: number, ok: boolean, durationNs: number): void {
    const cb = this.#breakers[edge];
    if (cb !== undefined) {
      if (ok) cb.success(t, durationNs);
      else cb.fail(t, durationNs);
    }
    this.#limiters[edge]?.release();
  }
}

/** Dwell time and transition counts of all Levee instances of one role. */
export interface RoleStats {
  instances: number;
  /** ns spent in CLOSED, THROTTLED, OPEN+HALF_OPEN (summed over instances). */
  dwellNs: [number, number, number];
  /** State changes between the three groups. */
  transitions: number;
}

function stateGroup(s: string): number {
  return s === 'CLOSED' ? 0 : s === 'THROTTLED' ? 1 : 2;
}

/** One Levee instance with dwell bookkeeping. */
class TrackedLevee {
  readonly levee = new Levee(MESH_SLO, { estimator: 'v0.4' }); // reproduces the published figures
  group = 0;
  since: number;
  readonly stats: RoleStats;

  constructor(stats: RoleStats, now: number) {
    this.stats = stats;
    this.since = now;
    stats.instances++;
  }

  observe(state: string, t: number): void {
    const g = stateGroup(state);
    if (g !== this.group) {
      this.stats.dwellNs[this.group as 0 | 1 | 2] += t - this.since;
      this.stats.transitions++;
      this.group = g;
      this.since = t;
    }
  }

  close(t: number): void {
    this.stats.dwellNs[this.group as 0 | 1 | 2] += t - this.since;
    this.since = t;
  }
}

class LeveeReplica implements ReplicaGovernor {
  readonly #inbound: TrackedLevee;
  readonly #edges: TrackedLevee[];

  constructor(inbound: RoleStats, edge: RoleStats, edges: number, now: number) {
    this.#inbound = new TrackedLevee(inbound, now);
    this.#edges = [];
    for (let i = 0; i < edges; i++) this.#edges.push(new TrackedLevee(edge, now));
  }

  admit(t: number): boolean {
    const a = this.#inbound.levee.start(t / 1e6);
    this.#inbound.observe(a.state, t);
    return a.admitted;
  }

  done(t: number, ok: boolean, durationNs: number): void {
    const lv = this.#inbound;
    const r = ok
      ? lv.levee.success(t / 1e6, durationNs / 1e6)
      : lv.levee.fail(t / 1e6, durationNs / 1e6);
    lv.observe(r.state, t);
  }

  edgeAdmit(edge: number, t: number): boolean {
    const lv = this.#edges[edge]!;
    const a = lv.levee.start(t / 1e6);
    lv.observe(a.state, t);
    return a.admitted;
  }

  edgeDone(edge: number, t: number, ok: boolean, durationNs: number): void {
    const lv = this.#edges[edge]!;
    const r = ok
      ? lv.levee.success(t / 1e6, durationNs / 1e6)
      : lv.levee.fail(t / 1e6, durationNs / 1e6);
    lv.observe(r.state, t);
  }

  /** Ends dwell accounting (the instance dies or the run ends). */
  close(t: number): void {
    this.#inbound.close(t);
    for (const e of this.#edges) e.close(t);
  }
}

/**
 * A peer candidate as a governor (`levee-bench mesh --governors aimd,...`):
 * like Levee, one instance guards the replica's inbound admissions and one
 * each of its outbound edges, each built as the closed-loop suites build it
 * (the SRE throttle with the mesh SLO, K = 1/0.90). Outcomes go to the
 * instance that admitted the call, with the call's duration.
 */
class CandidateReplica implements ReplicaGovernor {
  readonly #inbound: Candidate;
  readonly #edges: Candidate[] = [];

  constructor(kind: PeerKey, edges: number) {
    const make = (): Candidate => createCandidate(kind, { slo: MESH_SLO });
    this.#inbound = make();
    for (let i = 0; i < edges; i++) this.#edges.push(make());
  }

  admit(t: number): boolean {
    return this.#inbound.start(t);
  }

  done(t: number, ok: boolean, durationNs: number): void {
    if (ok) this.#inbound.success(t, durationNs);
    else this.#inbound.fail(t, durationNs);
  }

  edgeAdmit(edge: number, t: number): boolean {
    return this.#edges[edge]!.start(t);
  }

  edgeDone(edge: number, t: number, ok: boolean, durationNs: number): void {
    const c = this.#edges[edge]!;
    if (ok) c.success(t, durationNs);
    else c.fail(t, durationNs);
  }
}

/** Creates replica governors of one kind for a topology. */
export class GovernorFactory {
  readonly kind: GovernorKind;
  readonly name: string;
  readonly #topology: Topology;
  readonly #sizing: StaticSizing;
  /** Levee dwell/transition statistics per role. */
  readonly inboundStats: RoleStats = { instances: 0, dwellNs: [0, 0, 0], transitions: 0 };
  readonly edgeStats: RoleStats = { instances: 0, dwellNs: [0, 0, 0], transitions: 0 };

  constructor(kind: GovernorKind, topology: Topology) {
    if (!GOVERNOR_KINDS.includes(kind)) throw new RangeError(`unknown mesh governor ${kind}`);
    this.kind = kind;
    this.name = GOVERNOR_NAMES[kind];
    this.#topology = topology;
    this.#sizing = staticSizing(topology);
  }

  /** A fresh (cold) governor set for a replica of `node`, created at `now`. */
  create(node: number, now: number): ReplicaGovernor {
    const edges = this.#topology.edges[node]!;
    if (isPeerGovernor(this.kind)) return new CandidateReplica(this.kind, edges.length);
    switch (this.kind) {
      case 'no-gov':
        return NO_GOV;
      case 'levee':
        return new LeveeReplica(this.inboundStats, this.edgeStats, edges.length, now);
      case 'static-breaker':
        return new StaticReplica(
          undefined,
          edges.map(() => undefined),
          edges.map(() => new StaticCB('Static-Breaker', STATIC_BAU)),
        );
      case 'static-limiter':
      case 'static-full': {
        const rate = this.#sizing.bucketRate[node]!;
        const bucket = new TokenBucket(rate, rate * BUCKET_BURST_S);
        const caps = this.#sizing.edgeCaps[node]!;
        const limiters = edges.map((_, i) => new MaxInflight(caps[i]!));
        const breakers =
          this.kind === 'static-full'
            ? edges.map((e) => new StaticCB('Static-Full', e.async ? STATIC_BAU : STATIC_DEAD_EDGE))
            : edges.map(() => undefined);
        return new StaticReplica(bucket, limiters, breakers);
      }
    }
  }

  /** Called when a replica governor dies (crash, scale-down) or the run ends. */
  retire(g: ReplicaGovernor, now: number): void {
    if (g instanceof LeveeReplica) g.close(now);
  }
}

/**
 * The governor instances of one node, one per live replica, addressed by
 * replica index. Admissions go round-robin: the replica at the cursor takes
 * the call and the cursor moves on (modulo the instance count); a resize that
 * leaves the cursor past the end sends it back to 0. Shrinking retires the
 * newest instances; a crash retires all of them.
 *
 * A call remembers the index of the replica that admitted it; its outcome
 * and its outbound calls go to whatever instance holds that index when they
 * happen. If the index no longer exists (the replica was scaled away),
 * outcomes are dropped and outbound calls are rejected. No-Gov has no
 * instances at all: every call is "replica 0" and every outbound call goes.
 */
export class NodeGovernor {
  readonly #factory: GovernorFactory;
  readonly #node: number;
  readonly #list: ReplicaGovernor[] = [];
  readonly #none: boolean;
  #cursor = 0;

  constructor(factory: GovernorFactory, node: number) {
    this.#factory = factory;
    this.#node = node;
    this.#none = factory.kind === 'no-gov';
  }

  get size(): number {
    return this.#list.length;
  }

  /** Creates (cold) or retires instances until there are `replicas`. */
  resize(replicas: number, now: number): void {
    if (this.#none) return;
    const list = this.#list;
    while (list.length > replicas) this.#factory.retire(list.pop()!, now);
    while (list.length < replicas) list.push(this.#factory.create(this.#node, now));
    if (this.#cursor >= list.length) this.#cursor = 0;
  }

  /**
   * Inbound admission at `t` by the next replica: its index when admitted,
   * −1 when rejected (or when no replica is alive).
   */
  admit(t: number): number {
    if (this.#none) return 0;
    const list = this.#list;
    if (list.length === 0) return -1;
    const rep = this.#cursor;
    this.#cursor = (rep + 1) % list.length;
    return list[rep]!.admit(t) ? rep : -1;
  }

  done(rep: number, t: number, ok: boolean, durationNs: number): void {
    this.#list[rep]?.done(t, ok, durationNs);
  }

  edgeAdmit(rep: number, edge: number, t: number): boolean {
    if (this.#none) return true;
    const g = this.#list[rep];
    return g?.edgeAdmit(edge, t) === true;
  }

  edgeDone(rep: number, edge: number, t: number, ok: boolean, durationNs: number): void {
    this.#list[rep]?.edgeDone(edge, t, ok, durationNs);
  }
}
