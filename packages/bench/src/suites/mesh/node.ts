/**
 * One service of the mesh (docs/BENCHMARKS.md §6.2): an HPA-style capacity
 * controller, a pool of worker slots, the crash buffer and the crash state.
 *
 * - Capacity controller: the §5.4 controller with the node's RPS/replica as
 *   capacity unit (70 % target, 15 s evaluation, 300 s stabilisation window,
 *   600 s scale-down delay after a scale-up, 30 s provisioning lag). It only
 *   sees admitted calls. Warm start: design replicas live, demand estimate =
 *   steady RPS, scale-up clock at t = 0 (no scale-down in the first 600 s).
 * - Worker slots: slotsPerReplica × live replicas, a min-heap of busy-until
 *   times. An admitted call takes the slot that frees first and starts at
 *   max(now, its busy-until), so calls are served FIFO; latency = queue wait
 *   + service.
 * - Buffer: the backlog (admitted calls whose service has not finished,
 *   executing or queued) may not reach 3 s × RPS/replica × live replicas; the
 *   admission that reaches it crashes the node. A crash loses the queued and
 *   executing work (calls already waiting for their children survive), kills
 *   the governor instances and takes the node down for 120 s, without
 *   capacity ticks. It restarts with free slots at min replicas: only then is
 *   the controller reset (nothing pending, scale-up clock cleared), keeping
 *   its demand estimate, so the next evaluation scales straight back up.
 * - Slots added by a scale-up are free; a scale-down drops the slots that
 *   free first.
 */

const NS_PER_S = 1e9;

/** Parameters of the mesh capacity controller. */
export interface CapacityConfig {
  readonly rpsPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

export const HPA_TARGET_UTILIZATION = 0.7;
export const HPA_SCALE_DOWN_FACTOR = 0.9;
export const HPA_EVAL_INTERVAL_NS = 15 * NS_PER_S;
export const HPA_WINDOW_NS = 300 * NS_PER_S;
export const HPA_SCALE_DOWN_DELAY_NS = 600 * NS_PER_S;
export const HPA_LAG_NS = 30 * NS_PER_S;
export const DEMAND_WINDOW_NS = 1 * NS_PER_S;
export const DEMAND_SMOOTHING = 0.3;

/** Buffer size in seconds of capacity. */
export const BUFFER_S = 3;
/** How long a crashed node stays down. */
export const DOWNTIME_NS = 120 * NS_PER_S;

/** Go's `Duration.Seconds()`: whole seconds plus remainder / 1e9. */
function seconds(ns: number): number {
  const whole = Math.trunc(ns / NS_PER_S);
  return whole + (ns - whole * NS_PER_S) / 1e9;
}

/**
 * HPA-style capacity controller (the §5.4 rules), on ns virtual time.
 * `tick(now)` promotes pending replicas once now > readyAt, then at most once
 * per 15 s samples utilisation rps / (capacity × live) and moves towards
 * target = clamp(ceil(rps / (0.7 × capacity))).
 */
export class CapacityController {
  live: number;
  pending = 0;
  readyAtNs = 0;
  /** Smoothed admitted demand, RPS. */
  rps: number;

  readonly #cfg: CapacityConfig;
  readonly #targetCapacity: number;
  readonly #scaleDownBelow: number;
  #windowOpen = false;
  #windowStart = 0;
  #windowCount = 0;
  #evaluated = false;
  #lastEval = 0;
  #scaledUp: boolean;
  #lastScaleUp = 0;
  #histTime: number[] = [];
  #histValue: number[] = [];

  /** Warm start: `replicas` live, demand `rps`, scale-up clock at t = 0. */
  constructor(cfg: CapacityConfig, replicas: number, rps: number) {
    this.#cfg = cfg;
    this.#targetCapacity = HPA_TARGET_UTILIZATION * cfg.rpsPerReplica;
    this.#scaleDownBelow = HPA_TARGET_UTILIZATION * HPA_SCALE_DOWN_FACTOR;
    this.live = replicas;
    this.rps = rps;
    this.#scaledUp = true;
  }

  /** Counts one admitted call at `now`. */
  record(now: number): void {
    if (!this.#windowOpen) {
      this.#windowOpen = true;
      this.#windowStart = now;
    }
    this.#windowCount++;
    const span = now - this.#windowStart;
    if (span >= DEMAND_WINDOW_NS) {
      const rate = this.#windowCount / seconds(span);
      this.rps = DEMAND_SMOOTHING * rate + (1 - DEMAND_SMOOTHING) * this.rps;
      this.#windowStart = now;
      this.#windowCount = 0;
    }
  }

  tick(now: number): void {
    if (this.pending > 0 && now > this.readyAtNs) {
      this.live += this.pending;
      this.pending = 0;
    }
    if (this.#evaluated && now - this.#lastEval < HPA_EVAL_INTERVAL_NS) return;
    this.#evaluated = true;
    this.#lastEval = now;
    this.#histTime.push(now);
    this.#histValue.push(this.rps / (this.#cfg.rpsPerReplica * this.live));
    const oldest = now - HPA_WINDOW_NS;
    let drop = 0;
    while (drop < this.#histTime.length && this.#histTime[drop]! < oldest) drop++;
    if (drop > 0) {
      this.#histTime.splice(0, drop);
      this.#histValue.splice(0, drop);
    }
    let target = Math.ceil(this.rps / this.#targetCapacity);
    if (target < this.#cfg.minReplicas) target = this.#cfg.minReplicas;
    if (target > this.#cfg.maxReplicas) target = this.#cfg.maxReplicas;
    if (target > this.live + this.pending) {
      this.pending = target - this.live;
      this.readyAtNs = now + HPA_LAG_NS;
      this.#scaledUp = true;
      this.#lastScaleUp = now;
    } else if (target < this.live) {
      if (this.#scaledUp && now - this.#lastScaleUp < HPA_SCALE_DOWN_DELAY_NS) return;
      if (this.#histValue.every((u) => u < this.#scaleDownBelow)) {
        this.live = Math.max(target, this.#cfg.minReplicas);
      }
    }
  }

  /** After a crash: min replicas, nothing pending, no scale-up remembered; demand kept. */
  resetAfterCrash(): void {
    this.live = this.#cfg.minReplicas;
    this.pending = 0;
    this.#scaledUp = false;
    this.#lastScaleUp = 0;
  }
}

/** Min-heap of slot busy-until times (ns). */
export class SlotPool {
  #heap = new Float64Array(64);
  #n = 0;

  get size(): number {
    return this.#n;
  }

  /** Earliest busy-until time. */
  peek(): number {
    return this.#heap[0]!;
  }

  /** Sets the number of slots: new slots are free (busy-until 0); shrinking drops the earliest-free. */
  resize(slots: number): void {
    while (this.#n > slots) this.#pop();
    while (this.#n < slots) this.#push(0);
  }

  clear(): void {
    this.#n = 0;
  }

  /**
   * Takes the slot that frees first for a call arriving at `now` with service
   * `serviceNs`; returns the completion time max(now, busy-until) + service.
   */
  assign(now: number, serviceNs: number): number {
    const free = this.#heap[0]!;
    const end = Math.max(free, now) + serviceNs;
    this.#replaceTop(end);
    return end;
  }

  #push(v: number): void {
    if (this.#n === this.#heap.length) {
      const next = new Float64Array(this.#heap.length * 2);
      next.set(this.#heap);
      this.#heap = next;
    }
    const h = this.#heap;
    let i = this.#n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= v) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = v;
  }

  #pop(): number {
    const h = this.#heap;
    const top = h[0]!;
    const last = h[--this.#n]!;
    if (this.#n > 0) this.#siftDown(last);
    return top;
  }

  #replaceTop(v: number): void {
    this.#siftDown(v);
  }

  #siftDown(v: number): void {
    const h = this.#heap;
    const n = this.#n;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1]! < h[c]!) c++;
      if (v <= h[c]!) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = v;
  }
}

/** Per-node simulation state the engine drives. */
export class MeshNode {
  readonly index: number;
  readonly name: string;
  readonly slotsPerReplica: number;
  readonly rpsPerReplica: number;
  readonly minReplicas: number;
  readonly hpa: CapacityController;
  readonly slots = new SlotPool();
  /** Admitted calls whose service has not finished (executing + queued). */
  backlog = 0;
  crashed = false;
  /** Bumped on every crash: work admitted under an older generation is lost. */
  generation = 0;
  crashes = 0;
  /** Total ns spent crashed, clipped to the scenario end. */
  downtimeNs = 0;
  crashedAt = 0;
  /** Peak backlog seen (diagnostics). */
  peakBacklog = 0;

  constructor(
    index: number,
    name: string,
    cfg: CapacityConfig,
    slotsPerReplica: number,
    designReplicas: number,
    steadyRps: number,
  ) {
    this.index = index;
    this.name = name;
    this.slotsPerReplica = slotsPerReplica;
    this.rpsPerReplica = cfg.rpsPerReplica;
    this.minReplicas = cfg.minReplicas;
    this.hpa = new CapacityController(cfg, designReplicas, steadyRps);
    this.slots.resize(slotsPerReplica * designReplicas);
  }

  /** Backlog at which an admission crashes the node: 3 s × RPS/replica × live replicas. */
  bufferLimit(): number {
    return BUFFER_S * this.rpsPerReplica * this.hpa.live;
  }

  /** Matches the slot pool to the live replica count. */
  resizeSlots(): void {
    this.slots.resize(this.slotsPerReplica * this.hpa.live);
  }

  /**
   * Crash at `now`: all queued and executing work is lost (the generation
   * moves on, so their completions are ignored), slots and backlog are gone.
   * The controller is left as it is until the restart.
   */
  crash(now: number): void {
    this.crashed = true;
    this.crashes++;
    this.generation++;
    this.crashedAt = now;
    this.backlog = 0;
    this.slots.clear();
  }

  /** Back up at `now`: min replicas, nothing pending, free slots; demand estimate kept. */
  restart(now: number, endNs: number): void {
    this.crashed = false;
    this.downtimeNs += Math.max(0, Math.min(now, endNs) - Math.min(this.crashedAt, endNs));
    this.hpa.resetAfterCrash();
    this.resizeSlots();
  }
}
