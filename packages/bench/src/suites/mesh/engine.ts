/**
 * The mesh engine (docs/BENCHMARKS.md §6.3): a single-threaded discrete-event
 * loop over one topology, one governor kind and one scenario, on integer-ns
 * virtual time.
 *
 * Events, ordered by (time, scheduling sequence): entry arrivals (one
 * Poisson stream per entry node), call deliveries (one hop after dispatch),
 * service completions, root deadlines, crash recoveries and per-node capacity
 * ticks (every 1 s from t = 1 s while t < end + 1.5 s). Arrivals stop at the
 * scenario end; the loop drains every remaining event.
 *
 * Per-call randomness is a hash of the call id (call-hash.ts), so every
 * governor sees the same latency, error and fan-out draw for the same call.
 *
 * A call's *logical* outcome (finished once, success or failure) is separate
 * from its *physical* occupancy of a worker slot, which ends only at its
 * service completion — so work whose root already timed out still burns
 * capacity (work amplification).
 *
 * - Delivery at a node: at or past the deadline → failure. Otherwise the call
 *   joins its tree's live list. Crashed node → parked (it fails at the root
 *   deadline; an entry root counts as Allowed). The next replica governor
 *   (round-robin) rejects → an entry root counts as Blocked and is dropped
 *   unscored, any other call fails. Admitted → demand recorded, backlog + 1;
 *   the admission that brings the backlog to the buffer limit crashes the
 *   node. Else service = max(1 ns, profile(latency draw) × phase multiplier)
 *   through the FIFO slots.
 * - Completion (ignored if the node crashed since admission): backlog − 1;
 *   nothing more if the call already finished. Local success iff error draw
 *   ≥ 0.005 + phase extra error. Children are dispatched at that instant
 *   (also after a local failure): per edge, expected calls = p × phase call
 *   multiplier; repetition k is taken unconditionally while expected − k ≥ 1,
 *   else iff its edge draw < expected − k. A parent with hop budget ≤ 1 fails
 *   its sync children at once and skips async ones. The admitting replica's
 *   edge governor decides; a rejected sync child fails the parent, a rejected
 *   async child is dropped. Sync children share the root deadline; async ones
 *   become detached roots with a fresh 1.5 s deadline that report only to the
 *   caller's edge governor.
 * - Finish (once): the node's inbound governor hears (outcome, time since
 *   admission) unless the node crashed since; the caller's edge governor
 *   hears (outcome, time since dispatch) unless the caller crashed since. A
 *   sync parent records a failed child and finishes — success iff local OK
 *   and no child failed — once its local work is done and its last child is
 *   back (even if its own node crashed in between: only queued and executing
 *   work is lost in a crash). Entry roots are scored at their finish time.
 * - Root deadline: every live call of the tree fails, latest-delivered first
 *   (children before parents), then the root. Calls still in flight on a hop
 *   fail when they arrive.
 */
import { GoRand } from '../../sim/rng/go-rand.js';
import { LatencyProfile } from '../../sim/workload/latency-profile.js';
import {
  add64,
  childId,
  edgeSalt,
  H,
  halves,
  rootBase,
  SALT_ERROR,
  SALT_LATENCY,
  splitmix64,
  uniform,
} from './call-hash.js';
import { EventQueue } from './event-queue.js';
import { type GovernorFactory, NodeGovernor } from './governors.js';
import { EntryScoring, type StreamScore } from './metrics.js';
import { DOWNTIME_NS, MeshNode } from './node.js';
import type { Scenario } from './scenario.js';
import type { Topology } from './topology.js';

/** Local error probability of every call outside injections. */
export const BASE_ERROR = 0.005;
export const TICK_NS = 1e9;

const EV_ARRIVAL = 0;
const EV_DELIVER = 1;
const EV_COMPLETE = 2;
const EV_DEADLINE = 3;
const EV_RECOVER = 4;
const EV_TICK = 5;

// FIFO lanes of the event queue: events scheduled at now + a constant.
const LANE_HOP = 0;
const LANE_DEADLINE = 1;
const LANE_TICK = 2;

const TWO32 = 4294967296;
const PROGRESS_MASK = (1 << 18) - 1;

/** One hop of one request tree. */
class Call {
  readonly idHi: number;
  readonly idLo: number;
  readonly node: number;
  readonly hops: number;
  readonly deadline: number;
  /** Entry slot of an entry root, else −1. */
  readonly entrySlot: number;
  /** The tree root (itself for entry and detached roots). */
  root: Call;
  /** Sync parent; undefined for roots. */
  readonly parent: Call | undefined;
  /** Caller node, its admitting replica, its generation and the edge index (−1 for entry roots). */
  readonly callerNode: number;
  readonly callerRep: number;
  readonly callerGen: number;
  readonly edge: number;
  readonly dispatchAt: number;
  /** Calls of this tree delivered so far (kept on the root only). */
  live: Call[] | undefined = undefined;
  /** Index of the admitting replica, −1 until admitted. */
  rep = -1;
  admitGen = -1;
  admitAt = 0;
  localDone = false;
  localOk = false;
  childFailed = false;
  pending = 0;
  finished = false;

  constructor(
    idHi: number,
    idLo: number,
    node: number,
    hops: number,
    deadline: number,
    entrySlot: number,
    parent: Call | undefined,
    callerNode: number,
    callerRep: number,
    callerGen: number,
    edge: number,
    dispatchAt: number,
  ) {
    this.idHi = idHi;
    this.idLo = idLo;
    this.node = node;
    this.hops = hops;
    this.deadline = deadline;
    this.entrySlot = entrySlot;
    this.root = parent === undefined ? this : parent.root;
    this.parent = parent;
    this.callerNode = callerNode;
    this.callerRep = callerRep;
    this.callerGen = callerGen;
    this.edge = edge;
    this.dispatchAt = dispatchAt;
  }
}

/**
 * Hook for per-second recording (`MeshTraceRecorder` in src/report/): told of
 * the events below as they happen; it only observes. `attach` is called once
 * before the first event, `finish` once after the drain.
 */
export interface MeshTracer {
  attach(run: {
    /** Node names, in topology order. */
    names: readonly string[];
    /** Live replicas of each node at t = 0. */
    replicas: readonly number[];
    endNs: number;
    /** Phase windows of the scenario. */
    windows: Scenario['windows'];
  }): void;
  /** An entry request reached its entry node at `t`: admitted (or parked at a crashed node) or rejected. */
  entry(t: number, admitted: boolean): void;
  /** An entry request finished at `t`. */
  result(t: number, ok: boolean): void;
  /** Node `v`'s inbound governor admitted a call at `t`. */
  admit(v: number, t: number): void;
  crash(v: number, t: number): void;
  recover(v: number, t: number): void;
  /** Node `v`'s capacity tick at `t`, with its live replicas (0 while crashed). */
  tick(v: number, t: number, live: number): void;
  finish(): void;
}

/** Raw outcome of one engine run. */
export interface EngineResult {
  combined: StreamScore;
  entries: StreamScore[];
  crashes: number[];
  /** ns crashed per node, clipped to the scenario end. */
  downtimeNs: number[];
  /** Calls admitted per node. */
  admitted: number[];
  /** Largest live replica count per node. */
  peakReplicas: number[];
  /** Largest backlog per node. */
  peakBacklog: number[];
  events: number;
}

export class MeshEngine {
  readonly #topo: Topology;
  readonly #scenario: Scenario;
  readonly #q = new EventQueue<Call>(3);
  readonly #nodes: MeshNode[];
  readonly #govs: NodeGovernor[];
  readonly #profiles: LatencyProfile[];
  /** Edge-draw salts per node, edge and repetition k, as [hi, lo] (filled lazily). */
  readonly #edgeSalts: [number, number][][][];
  readonly #scoring: EntryScoring;
  readonly #admitted: number[];
  readonly #peakReplicas: number[];
  readonly #rngs: GoRand[];
  readonly #arrivals: number[];
  readonly #rootBases: [number, number][];
  readonly #latSalt: [number, number];
  readonly #errSalt: [number, number];
  readonly #hopNs: number;
  readonly #timeoutNs: number;
  readonly #endNs: number;
  readonly #tracer: MeshTracer | undefined;
  #events = 0;
  #ran = false;

  constructor(
    topology: Topology,
    scenario: Scenario,
    factory: GovernorFactory,
    seed: number | bigint,
    tracer?: MeshTracer,
  ) {
    this.#topo = topology;
    this.#tracer = tracer;
    this.#scenario = scenario;
    const spec = topology.spec;
    this.#hopNs = spec.hopLatencyMs * 1e6;
    this.#timeoutNs = spec.rootDeadlineMs * 1e6;
    this.#endNs = scenario.endNs;
    // Warm start: design replicas, demand = steady RPS, governors to match.
    this.#nodes = spec.nodes.map(
      (n, i) =>
        new MeshNode(
          i,
          n.name,
          {
            rpsPerReplica: n.rpsPerReplica,
            minReplicas: n.minReplicas,
            maxReplicas: n.maxReplicas,
          },
          topology.slotsPerReplica[i]!,
          topology.designReplicas[i]!,
          topology.steadyRps[i]!,
        ),
    );
    this.#govs = this.#nodes.map((n) => {
      const g = new NodeGovernor(factory, n.index);
      g.resize(n.hpa.live, 0);
      return g;
    });
    this.#profiles = spec.nodes.map(
      (n) => new LatencyProfile(n.p50Ms, n.p99Ms, spec.rootDeadlineMs),
    );
    this.#edgeSalts = topology.edges.map((list) => list.map((e) => [halves(edgeSalt(e.index, 0))]));
    this.#scoring = new EntryScoring(topology.entries.length);
    this.#admitted = this.#nodes.map(() => 0);
    this.#peakReplicas = this.#nodes.map((n) => n.hpa.live);
    this.#latSalt = halves(SALT_LATENCY);
    this.#errSalt = halves(SALT_ERROR);
    const s = BigInt.asUintN(64, BigInt(seed));
    this.#rngs = topology.entries.map(
      (_, slot) =>
        new GoRand(BigInt.asUintN(64, s + 7919n * BigInt(slot)), (s >> 32n) + BigInt(slot) + 1n),
    );
    this.#arrivals = topology.entries.map(() => 0);
    this.#rootBases = topology.entries.map((_, slot) => rootBase(s, slot));
  }

  /** Runs to completion (once); `onProgress` hears the simulated fraction done now and then. */
  run(onProgress?: (fractionDone: number) => void): EngineResult {
    if (this.#ran) throw new Error('a MeshEngine runs only once');
    this.#ran = true;
    const q = this.#q;
    this.#tracer?.attach({
      names: this.#topo.names,
      replicas: this.#nodes.map((n) => n.hpa.live),
      endNs: this.#endNs,
      windows: this.#scenario.windows,
    });
    for (let slot = 0; slot < this.#rngs.length; slot++) this.#scheduleArrival(slot, 0);
    for (let v = 0; v < this.#nodes.length; v++)
      q.pushLane(LANE_TICK, TICK_NS, EV_TICK, v, undefined);
    while (q.pop()) {
      const t = q.time;
      if ((++this.#events & PROGRESS_MASK) === 0 && onProgress !== undefined) {
        onProgress(Math.min(t / this.#endNs, 1));
      }
      switch (q.kind) {
        case EV_ARRIVAL:
          this.#arrival(q.arg, t);
          break;
        case EV_DELIVER:
          this.#deliver(q.obj!, t);
          break;
        case EV_COMPLETE:
          this.#complete(q.obj!, q.arg, t);
          break;
        case EV_DEADLINE: {
          const root = q.obj!;
          if (!root.finished) this.#failTree(root, t);
          break;
        }
        case EV_RECOVER:
          this.#recover(q.arg, t);
          break;
        case EV_TICK:
          this.#tick(q.arg, t);
          break;
      }
    }
    const end = this.#endNs;
    this.#nodes.forEach((n, v) => {
      if (n.crashed) n.downtimeNs += Math.max(0, end - Math.min(n.crashedAt, end));
      this.#govs[v]!.resize(0, end);
    });
    const { combined, entries } = this.#scoring.finish();
    this.#tracer?.finish();
    onProgress?.(1);
    return {
      combined,
      entries,
      crashes: this.#nodes.map((n) => n.crashes),
      downtimeNs: this.#nodes.map((n) => n.downtimeNs),
      admitted: this.#admitted.slice(),
      peakReplicas: this.#peakReplicas.slice(),
      peakBacklog: this.#nodes.map((n) => n.peakBacklog),
      events: this.#events,
    };
  }

  /** Draws the gap after an arrival at `from` (rate sampled at `from`) and schedules it. */
  #scheduleArrival(slot: number, from: number): void {
    const node = this.#topo.entries[slot]!;
    const rps =
      this.#topo.spec.nodes[node]!.entryRps * this.#scenario.arrivalMultiplier(node, from);
    let wait = Math.trunc((this.#rngs[slot]!.expFloat64() / rps) * 1e9);
    if (wait < 1) wait = 1;
    const at = from + wait;
    if (at < this.#endNs) this.#q.push(at, EV_ARRIVAL, slot, undefined);
  }

  #arrival(slot: number, t: number): void {
    this.#scheduleArrival(slot, t);
    const n = ++this.#arrivals[slot]!;
    const [bh, bl] = this.#rootBases[slot]!;
    add64(bh, bl, Math.floor(n / TWO32), n >>> 0);
    splitmix64(H.hi, H.lo);
    const root = new Call(
      H.hi,
      H.lo,
      this.#topo.entries[slot]!,
      this.#topo.spec.hopBudget,
      t + this.#timeoutNs,
      slot,
      undefined,
      -1,
      -1,
      -1,
      -1,
      t,
    );
    this.#q.pushLane(LANE_DEADLINE, root.deadline, EV_DEADLINE, 0, root);
    this.#deliver(root, t);
  }

  #deliver(c: Call, t: number): void {
    if (t >= c.deadline) {
      this.#finish(c, false, t);
      return;
    }
    const root = c.root;
    if (!root.finished) (root.live ??= []).push(c);
    const v = c.node;
    const node = this.#nodes[v]!;
    const entry = c.entrySlot;
    if (node.crashed) {
      if (entry >= 0) {
        this.#scoring.allowed(entry);
        this.#tracer?.entry(t, true);
      }
      return; // parked until the root deadline
    }
    const rep = this.#govs[v]!.admit(t);
    if (rep < 0) {
      if (entry >= 0) {
        this.#scoring.blocked(entry);
        this.#tracer?.entry(t, false);
        c.finished = true;
        c.live = undefined;
      } else {
        this.#finish(c, false, t);
      }
      return;
    }
    c.rep = rep;
    c.admitGen = node.generation;
    c.admitAt = t;
    if (entry >= 0) this.#scoring.allowed(entry);
    this.#admitted[v]!++;
    const tracer = this.#tracer;
    if (tracer !== undefined) {
      if (entry >= 0) tracer.entry(t, true);
      tracer.admit(v, t);
    }
    node.hpa.record(t);
    node.backlog++;
    if (node.backlog > node.peakBacklog) node.peakBacklog = node.backlog;
    if (node.backlog >= node.bufferLimit()) {
      this.#crash(v, t);
      return;
    }
    const [sh, sl] = this.#latSalt;
    const ms = this.#profiles[v]!.sampleMs(uniform(c.idHi, c.idLo, sh, sl));
    let service = Math.trunc(
      clampMs(ms, this.#topo.spec.rootDeadlineMs) * this.#scenario.latencyMultiplier(v, t) * 1e6,
    );
    if (service < 1) service = 1;
    this.#q.push(node.slots.assign(t, service), EV_COMPLETE, node.generation, c);
  }

  #complete(c: Call, gen: number, t: number): void {
    const v = c.node;
    const node = this.#nodes[v]!;
    if (node.crashed || gen !== node.generation) return; // lost in a crash
    node.backlog--;
    if (c.finished) return; // timed out already: the slot was burnt anyway
    c.localDone = true;
    const [eh, el] = this.#errSalt;
    c.localOk = uniform(c.idHi, c.idLo, eh, el) >= BASE_ERROR + this.#scenario.extraError(v, t);
    this.#dispatch(c, t);
    if (c.pending === 0) this.#finish(c, c.localOk && !c.childFailed, t);
  }

  #dispatch(c: Call, t: number): void {
    const v = c.node;
    const edges = this.#topo.edges[v]!;
    const gov = this.#govs[v]!;
    const rep = c.rep;
    const salts = this.#edgeSalts[v]!;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      const expected = e.p * this.#scenario.callMultiplier(v, i, t);
      for (let k = 0; k < expected; k++) {
        const p = expected - k;
        if (p < 1) {
          const ks = salts[i]!;
          const salt = ks[k] ?? (ks[k] = halves(edgeSalt(e.index, k)));
          if (uniform(c.idHi, c.idLo, salt[0], salt[1]) >= p) continue;
        }
        if (c.hops <= 1) {
          if (!e.async) c.childFailed = true;
          continue;
        }
        if (!gov.edgeAdmit(rep, i, t)) {
          if (!e.async) c.childFailed = true;
          continue;
        }
        childId(c.idHi, c.idLo, i, k);
        if (e.async) {
          const a = new Call(
            H.hi,
            H.lo,
            e.to,
            c.hops - 1,
            t + this.#timeoutNs,
            -1,
            undefined,
            v,
            rep,
            c.admitGen,
            i,
            t,
          );
          this.#q.pushLane(LANE_DEADLINE, a.deadline, EV_DEADLINE, 0, a);
          this.#q.pushLane(LANE_HOP, t + this.#hopNs, EV_DELIVER, 0, a);
        } else {
          const ch = new Call(
            H.hi,
            H.lo,
            e.to,
            c.hops - 1,
            c.deadline,
            -1,
            c,
            v,
            rep,
            c.admitGen,
            i,
            t,
          );
          c.pending++;
          this.#q.pushLane(LANE_HOP, t + this.#hopNs, EV_DELIVER, 0, ch);
        }
      }
    }
  }

  /** Resolves `c` once: governors, parent, scorer. Never touches slots. */
  #finish(c: Call, ok: boolean, t: number): void {
    if (c.finished) return;
    c.finished = true;
    if (c.rep >= 0 && c.admitGen === this.#nodes[c.node]!.generation) {
      this.#govs[c.node]!.done(c.rep, t, ok, t - c.admitAt);
    }
    const caller = c.callerNode;
    if (caller >= 0 && c.callerGen === this.#nodes[caller]!.generation) {
      this.#govs[caller]!.edgeDone(c.callerRep, c.edge, t, ok, t - c.dispatchAt);
    }
    const p = c.parent;
    if (p !== undefined) {
      if (!ok) p.childFailed = true;
      p.pending--;
      if (!p.finished && p.localDone && p.pending === 0) {
        this.#finish(p, p.localOk && !p.childFailed, t);
      }
      return;
    }
    if (c.entrySlot >= 0) {
      this.#scoring.result(c.entrySlot, t, ok);
      this.#tracer?.result(t, ok);
    }
    c.live = undefined;
  }

  /** Deadline of an unfinished root: its live calls fail, latest-delivered first, then the root. */
  #failTree(root: Call, t: number): void {
    const live = root.live;
    if (live !== undefined) {
      for (let i = live.length - 1; i >= 0; i--) this.#finish(live[i]!, false, t);
    }
    this.#finish(root, false, t);
    root.live = undefined;
  }

  #crash(v: number, t: number): void {
    this.#nodes[v]!.crash(t);
    this.#govs[v]!.resize(0, t);
    this.#q.push(t + DOWNTIME_NS, EV_RECOVER, v, undefined);
    this.#tracer?.crash(v, t);
  }

  #recover(v: number, t: number): void {
    const node = this.#nodes[v]!;
    node.restart(t, this.#endNs);
    this.#govs[v]!.resize(node.hpa.live, t);
    this.#tracer?.recover(v, t);
  }

  #tick(v: number, t: number): void {
    const node = this.#nodes[v]!;
    if (!node.crashed) {
      node.hpa.tick(t);
      node.resizeSlots();
      const live = node.hpa.live;
      this.#govs[v]!.resize(live, t);
      if (live > this.#peakReplicas[v]!) this.#peakReplicas[v] = live;
      this.#tracer?.tick(v, t, live);
    } else {
      this.#tracer?.tick(v, t, 0);
    }
    if (t < this.#endNs + this.#timeoutNs)
      this.#q.pushLane(LANE_TICK, t + TICK_NS, EV_TICK, v, undefined);
  }
}

/** Latency samples are clamped to [0, timeout] before the phase multiplier. */
function clampMs(ms: number, timeoutMs: number): number {
  return Math.min(Math.max(ms, 0), timeoutMs);
}
