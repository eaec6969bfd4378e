/**
 * `@leveejs/levee/registry`: one Levee per key (origin, route, traffic class),
 * created lazily and kept in a bounded, timer-free cache.
 *
 * @packageDocumentation
 */
import { Levee, validateSLO } from './core/levee.js';
import type { SLO, Subscription } from './core/types.js';
import { describe } from './internal/describe.js';
import { notify, subscribe } from './internal/listeners.js';

/** Default {@link LeveeRegistryOptions.maxSize}. */
export const DEFAULT_MAX_SIZE = 1000;
/** Default {@link LeveeRegistryOptions.idleTtlMs}: 10 minutes. */
export const DEFAULT_IDLE_TTL_MS = 10 * 60 * 1000;

/** Options of {@link LeveeRegistry}. */
export interface LeveeRegistryOptions {
  /** One SLO for every key, or a function giving the SLO of a key (called once per instance created). */
  readonly slo: SLO | ((key: string) => SLO);
  /**
   * Most instances kept (a positive integer, or `Infinity`). Default 1,000.
   * When a new key arrives at the cap, the least recently used idle instance
   * is evicted; see {@link RegistryFullError} for the case where none is idle.
   */
  readonly maxSize?: number;
  /**
   * An instance with no call in flight that nobody asked for (`get`) during
   * this many milliseconds is evicted, lazily, on the next `get`/`prune`.
   * `Infinity` disables idle eviction. Default 600,000 (10 minutes).
   */
  readonly idleTtlMs?: number;
  /**
   * Monotonic clock in milliseconds, used for idle ages and handed to every
   * Levee created. Defaults to `performance.now()`.
   */
  readonly clock?: () => number;
}

/** Why an instance left the registry. */
export type EvictionReason = 'idle' | 'capacity' | 'deleted';

/**
 * Thrown by {@link LeveeRegistry.get} for a new key when the registry holds
 * `maxSize` instances and every one of them has calls in flight. Evicting a
 * busy instance would orphan its permits, and an untracked instance would
 * silently escape metrics and the cap, so the registry refuses instead. It
 * means the key space is far larger than `maxSize` (e.g. keys built from raw
 * URLs): choose coarser keys or raise `maxSize`. The HTTP adapters answer it
 * with 503; the fetch wrapper rejects with it without touching the network.
 */
export class RegistryFullError extends Error {
  override readonly name = 'RegistryFullError';
  readonly code = 'ERR_LEVEE_REGISTRY_FULL';
  /** The key that could not be given an instance. */
  readonly key: string;
  /** The cap that was reached. */
  readonly maxSize: number;

  constructor(key: string, maxSize: number) {
    super(
      `LeveeRegistry is full: all ${maxSize} instances have calls in flight, cannot add key ${JSON.stringify(key)} (use coarser keys or a larger maxSize)`,
    );
    this.key = key;
    this.maxSize = maxSize;
  }
}

/** Listener of {@link LeveeRegistry.onInstance}. */
export type InstanceListener = (key: string, levee: Levee) => void;
/** Listener of {@link LeveeRegistry.onEvict}. */
export type EvictListener = (key: string, levee: Levee, reason: EvictionReason) => void;

interface Entry {
  readonly key: string;
  readonly levee: Levee;
  lastUsedMs: number;
  /** Towards the least recently used end. */
  prev: Entry | undefined;
  /** Towards the most recently used end. */
  next: Entry | undefined;
}

/**
 * Hands out one {@link Levee} per key, created on first use, and keeps the
 * number of instances bounded without any timer:
 *
 * - **idle eviction**: an instance with nothing in flight that was not handed
 *   out by `get` for `idleTtlMs` is dropped on a later `get` or `prune`
 *   (amortised O(1) per `get`);
 * - **hard cap**: at `maxSize`, a new key evicts the least recently used idle
 *   instance. Instances with calls in flight are never evicted (their permits
 *   would complete into an orphan); if all are busy, `get` throws
 *   {@link RegistryFullError}.
 *
 * Call `get(key)` per call rather than caching the returned instance: an
 * evicted instance keeps working but is no longer the one handed out (or
 * reported to metrics) for that key.
 */
export class LeveeRegistry implements Iterable<[string, Levee]> {
  /** Most instances kept. */
  readonly maxSize: number;
  /** Idle time after which an instance may be evicted, ms. */
  readonly idleTtlMs: number;

  readonly #slo: SLO | undefined;
  readonly #sloFn: ((key: string) => SLO) | undefined;
  readonly #clock: () => number;
  readonly #leveeClock: (() => number) | undefined;
  readonly #map = new Map<string, Entry>();
  /** Least recently used end of the list. */
  #head: Entry | undefined;
  /** Most recently used end of the list. */
  #tail: Entry | undefined;
  readonly #onInstance: InstanceListener[] = [];
  readonly #onEvict: EvictListener[] = [];

  constructor(options: LeveeRegistryOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        `options must be an object { slo, maxSize?, idleTtlMs?, clock? }, got ${describe(options)}`,
      );
    }
    const { slo, maxSize = DEFAULT_MAX_SIZE, idleTtlMs = DEFAULT_IDLE_TTL_MS, clock } = options;
    if (typeof slo === 'function') {
      this.#sloFn = slo;
    } else {
      this.#slo = validateSLO(slo);
    }
    if (typeof maxSize !== 'number') {
      throw new TypeError(`options.maxSize must be a number, got ${describe(maxSize)}`);
    }
    if (!(maxSize >= 1) || !(Number.isInteger(maxSize) || maxSize === Number.POSITIVE_INFINITY)) {
      throw new RangeError(
        `options.maxSize must be an integer ≥ 1 or Infinity, got ${describe(maxSize)}`,
      );
    }
    if (typeof idleTtlMs !== 'number') {
      throw new TypeError(
        `options.idleTtlMs must be a number of milliseconds, got ${describe(idleTtlMs)}`,
      );
    }
    if (!(idleTtlMs > 0)) {
      throw new RangeError(
        `options.idleTtlMs must be > 0 (Infinity disables idle eviction), got ${describe(idleTtlMs)}`,
      );
    }
    if (clock !== undefined && typeof clock !== 'function') {
      throw new TypeError(
        `options.clock must be a function returning milliseconds, got ${describe(clock)}`,
      );
    }
    this.maxSize = maxSize;
    this.idleTtlMs = idleTtlMs;
    this.#leveeClock = clock;
    this.#clock = clock ?? (() => performance.now());
  }

  /** Number of instances currently held. */
  get size(): number {
    return this.#map.size;
  }

  /**
   * The instance for `key`, created (and announced to `onInstance`
   * listeners) if there is none. Marks it as recently used and evicts
   * instances that have been idle too long.
   *
   * @throws {RegistryFullError} for a new key when all `maxSize` instances have calls in flight.
   */
  get(key: string): Levee {
    if (typeof key !== 'string') {
      throw new TypeError(`key must be a string, got ${describe(key)}`);
    }
    const now = this.#clock();
    const entry = this.#map.get(key);
    if (entry !== undefined) {
      entry.lastUsedMs = now;
      if (entry !== this.#tail) {
        this.#unlink(entry);
        this.#append(entry);
      }
      this.#sweep(now);
      return entry.levee;
    }
    this.#sweep(now);
    if (this.#map.size >= this.maxSize && !this.#evictLeastRecentIdle()) {
      throw new RegistryFullError(key, this.maxSize);
    }
    const levee = this.#create(key);
    const created: Entry = { key, levee, lastUsedMs: now, prev: undefined, next: undefined };
    this.#map.set(key, created);
    this.#append(created);
    notify(this.#onInstance, key, levee);
    return levee;
  }

  /** The instance for `key` if there is one; no creation, no eviction, no effect on recency. */
  peek(key: string): Levee | undefined {
    return this.#map.get(key)?.levee;
  }

  /** True when an instance is held for `key` (no side effects). */
  has(key: string): boolean {
    return this.#map.has(key);
  }

  /**
   * Removes the instance for `key` even if it has calls in flight (their
   * permits still complete into it). Returns false if there was none.
   */
  delete(key: string): boolean {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    this.#remove(entry, 'deleted');
    return true;
  }

  /**
   * Evicts every instance idle for `idleTtlMs` now, e.g. from a metrics
   * scrape when traffic has stopped. Returns how many were evicted.
   */
  prune(): number {
    const before = this.#map.size;
    this.#sweep(this.#clock());
    return before - this.#map.size;
  }

  /**
   * `[key, levee]` pairs, least recently used first. Iterates a copy taken at
   * the first step, so `get`/`delete` during the iteration are safe.
   */
  *entries(): IterableIterator<[string, Levee]> {
    const copy: Array<[string, Levee]> = [];
    for (let e = this.#head; e !== undefined; e = e.next) copy.push([e.key, e.levee]);
    yield* copy;
  }

  /** Keys, least recently used first. */
  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  [Symbol.iterator](): IterableIterator<[string, Levee]> {
    return this.entries();
  }

  /**
   * Calls `listener(key, levee)` synchronously for every instance created from
   * now on, before `get` returns it, e.g. to attach metrics or state-change
   * logging. Existing instances are not replayed: iterate `entries()` for them.
   */
  onInstance(listener: InstanceListener): Subscription {
    return subscribe(this.#onInstance, listener);
  }

  /** Calls `listener(key, levee, reason)` for every instance that leaves the registry. */
  onEvict(listener: EvictListener): Subscription {
    return subscribe(this.#onEvict, listener);
  }

  // -------------------------------------------------------------------------

  #create(key: string): Levee {
    let slo: SLO;
    if (this.#sloFn !== undefined) {
      try {
        slo = validateSLO(this.#sloFn(key));
      } catch (err) {
        if (err instanceof TypeError || err instanceof RangeError) {
          const Ctor = err instanceof RangeError ? RangeError : TypeError;
          throw new Ctor(`options.slo(${JSON.stringify(key)}): ${err.message}`, { cause: err });
        }
        throw err;
      }
    } else {
      slo = this.#slo!;
    }
    return this.#leveeClock === undefined
      ? new Levee(slo)
      : new Levee(slo, { clock: this.#leveeClock });
  }

  /**
   * Drops idle-expired instances from the least recently used end. A busy
   * expired instance is in use right now: it is marked used and moved to the
   * other end, so each `get` does O(1) amortised work.
   */
  #sweep(now: number): void {
    const ttl = this.idleTtlMs;
    if (ttl === Number.POSITIVE_INFINITY) return;
    let e = this.#head;
    let guard = this.#map.size;
    while (e !== undefined && now - e.lastUsedMs >= ttl && guard-- > 0) {
      if (e.levee.inflight === 0) {
        this.#remove(e, 'idle');
      } else {
        e.lastUsedMs = now;
        if (e !== this.#tail) {
          this.#unlink(e);
          this.#append(e);
        }
      }
      e = this.#head;
    }
  }

  /** Evicts the least recently used instance with nothing in flight; false if all are busy. */
  #evictLeastRecentIdle(): boolean {
    for (let e = this.#head; e !== undefined; e = e.next) {
      if (e.levee.inflight === 0) {
        this.#remove(e, 'capacity');
        return true;
      }
    }
    return false;
  }

  #remove(entry: Entry, reason: EvictionReason): void {
    this.#map.delete(entry.key);
    this.#unlink(entry);
    notify(this.#onEvict, entry.key, entry.levee, reason);
  }

  #unlink(e: Entry): void {
    if (e.prev === undefined) this.#head = e.next;
    else e.prev.next = e.next;
    if (e.next === undefined) this.#tail = e.prev;
    else e.next.prev = e.prev;
    e.prev = undefined;
    e.next = undefined;
  }

  #append(e: Entry): void {
    e.prev = this.#tail;
    e.next = undefined;
    if (this.#tail === undefined) this.#head = e;
    else this.#tail.next = e;
    this.#tail = e;
  }
}
