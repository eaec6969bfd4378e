/**
 * The caller model (docs/BENCHMARKS.md §9.2): clients that retry failed or
 * shed requests with capped exponential backoff and jitter, optionally within
 * a retry budget, so that a retry storm comes from the clients instead of
 * being scripted. Off unless a `RetryPolicy` is given.
 *
 * Every arrival of the dispatcher is a *request* (what a user asked for); each
 * try of it is an *attempt* (what the breaker and the backend see). A request
 * succeeds if one of its attempts succeeds, and fails when an attempt fails
 * and no retry follows (attempts exhausted, the budget refuses, or the breaker
 * refused it and the policy does not retry refusals).
 *
 * - Backoff before the n-th retry (n = 1, 2, …): d = min(capMs, baseMs × 2^(n−1));
 *   `full` jitter waits uniform [0, d) (AWS's "full jitter", gRPC's original
 *   A6 rule), `equal` waits d/2 + uniform [0, d/2), `none` waits d. One
 *   uniform per retry from the caller's own PCG stream, seeded
 *   `(seed, (seed >> 32) XOR CALLER_STREAM)`, so the other streams are untouched.
 * - The client sees a backend failure when the app delivers it (its completion
 *   time, or the end of its event-loop tick) and a refusal at once; the retry
 *   is due that much later. A retry falls due no earlier than the event at
 *   which its failure was handed over (outcomes reach the app at most one
 *   event late, §5.3; the clients hear of them at the same moment), so time
 *   never runs backwards for the breaker.
 * - Budget (optional), after Finagle's `RetryBudget`: every request deposits
 *   one token worth `ratio` retries; each retry withdraws one; deposits and
 *   withdrawals count for `ttlS` seconds; a reserve of `minPerS × ttlS` retries
 *   is always there. A retry goes ahead only if reserve + ratio × deposits −
 *   withdrawals (over the last ttl) ≥ 1. Finagle's defaults: ratio 0.2,
 *   10 retries/s, ttl 10 s. The window is kept in `BUDGET_SLICES` slices.
 */
import { MinHeap } from '../arrivals/min-heap.js';
import { GoRand } from '../rng/go-rand.js';

export type JitterMode = 'full' | 'equal' | 'none';

/** Finagle-style retry budget. */
export interface RetryBudgetConfig {
  /** Retries allowed per request (Finagle's percentCanRetry), in [0, 1000]. */
  ratio: number;
  /** Retries per second always allowed (the reserve), ≥ 0. */
  minPerS: number;
  /** How long deposits and withdrawals count, s, in [1, 60] (Finagle's bounds). */
  ttlS: number;
}

/** How the clients retry. */
export interface RetryPolicy {
  /** Attempts per request, the first included, 1–100 (1: no retries). */
  attempts: number;
  /** Backoff before the first retry, ms (> 0). */
  baseMs: number;
  /** Largest backoff, ms (≥ baseMs). */
  capMs: number;
  jitter: JitterMode;
  /** Retry requests the breaker refused (a fast 503 to the client); default true. */
  retryBlocked: boolean;
  /** Optional retry budget; absent: retries limited by `attempts` only. */
  budget?: RetryBudgetConfig;
}

/** Defaults of `--retry` entries not given (see docs/BENCHMARKS.md §9.2 for the reasoning). */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 4,
  baseMs: 100,
  capMs: 1000,
  jitter: 'full',
  retryBlocked: true,
});

/** Finagle's default budget. */
export const FINAGLE_BUDGET: Readonly<RetryBudgetConfig> = Object.freeze({
  ratio: 0.2,
  minPerS: 10,
  ttlS: 10,
});

/** The caller's stream constant, XORed into the second PCG seed word: ASCII "retry". */
export const CALLER_STREAM = 0x7265747279n;

/** Slices of the budget's window (Finagle's windowed counters use 10). */
export const BUDGET_SLICES = 10;

/** Checks a policy built in code (files and options are checked by their parsers). */
export function checkRetryPolicy(p: RetryPolicy): void {
  const bad = (what: string): never => {
    throw new RangeError(`retry policy: ${what}`);
  };
  if (!Number.isInteger(p.attempts) || p.attempts < 1 || p.attempts > 100) {
    bad(`attempts must be an integer in [1, 100] (got ${p.attempts})`);
  }
  if (!(p.baseMs > 0) || !Number.isFinite(p.baseMs)) bad(`baseMs must be > 0 (got ${p.baseMs})`);
  if (!(p.capMs >= p.baseMs) || !Number.isFinite(p.capMs) || p.capMs > 86_400_000) {
    bad(`capMs must be in [baseMs, 86400000] (got ${p.capMs})`);
  }
  if (!['full', 'equal', 'none'].includes(p.jitter)) bad(`jitter must be full, equal or none`);
  const b = p.budget;
  if (b !== undefined) {
    if (!(b.ratio >= 0 && b.ratio <= 1000))
      bad(`budget ratio must be in [0, 1000] (got ${b.ratio})`);
    if (!(b.minPerS >= 0 && b.minPerS <= 1e6)) {
      bad(`budget minPerS must be in [0, 1000000] (got ${b.minPerS})`);
    }
    if (!(b.ttlS >= 1 && b.ttlS <= 60)) bad(`budget ttlS must be in [1, 60] (got ${b.ttlS})`);
  }
}

/** The backoff cap before the n-th retry (n ≥ 1), ms: min(cap, base × 2^(n−1)). */
export function backoffCapMs(policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, n: number): number {
  // 2^(n−1) overflows to +∞ only past n = 1024; attempts are at most 100.
  return Math.min(policy.capMs, policy.baseMs * 2 ** (n - 1));
}

/** The backoff before the n-th retry, ns, given a uniform `u` in [0, 1) (unused for `none`). */
export function backoffNs(
  policy: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'jitter'>,
  n: number,
  u: number,
): number {
  const d = backoffCapMs(policy, n);
  const ms = policy.jitter === 'full' ? d * u : policy.jitter === 'equal' ? d / 2 + (d / 2) * u : d;
  return Math.trunc(ms * 1e6);
}

/**
 * Finagle-style retry budget over a sliding window of `BUDGET_SLICES` slices
 * of ttl / BUDGET_SLICES each: a slice's counts leave the window once it is
 * BUDGET_SLICES slices old, so an entry counts for between 0.9 ttl and ttl.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #reserve: number;
  readonly #sliceNs: number;
  readonly #deposits = new Float64Array(BUDGET_SLICES);
  readonly #withdrawals = new Float64Array(BUDGET_SLICES);
  /** Index (time / slice) of the newest slice held. */
  #slice = 0;
  #depositSum = 0;
  #withdrawalSum = 0;

  constructor(config: RetryBudgetConfig) {
    this.#ratio = config.ratio;
    this.#reserve = config.minPerS * config.ttlS;
    this.#sliceNs = Math.round((config.ttlS * 1e9) / BUDGET_SLICES);
  }

  /** Moves the window to `tNs` (times never decrease; an earlier time counts in the newest slice). */
  #roll(tNs: number): number {
    const slice = Math.floor(tNs / this.#sliceNs);
    if (slice > this.#slice) {
      const steps = Math.min(slice - this.#slice, BUDGET_SLICES);
      for (let k = 1; k <= steps; k++) {
        const i = (this.#slice + k) % BUDGET_SLICES;
        this.#depositSum -= this.#deposits[i]!;
        this.#withdrawalSum -= this.#withdrawals[i]!;
        this.#deposits[i] = 0;
        this.#withdrawals[i] = 0;
      }
      this.#slice = slice;
    }
    return this.#slice % BUDGET_SLICES;
  }

  /** A request was issued at `tNs`. */
  deposit(tNs: number): void {
    const i = this.#roll(tNs);
    this.#deposits[i]!++;
    this.#depositSum++;
  }

  /** Retries the budget would allow now: reserve + ratio × deposits − withdrawals. */
  balance(tNs: number): number {
    this.#roll(tNs);
    return this.#reserve + this.#ratio * this.#depositSum - this.#withdrawalSum;
  }

  /** A retry at `tNs`: true (and withdrawn) if the balance allows one. */
  tryWithdraw(tNs: number): boolean {
    if (this.balance(tNs) < 1) return false;
    const i = this.#slice % BUDGET_SLICES;
    this.#withdrawals[i]!++;
    this.#withdrawalSum++;
    return true;
  }
}

/** What users saw: one entry per request (the Delta stays per attempt). */
export interface RequestStats {
  /** Requests (dispatcher arrivals). */
  requests: number;
  /** Requests one of whose attempts succeeded. */
  succeeded: number;
  /** Requests that ended failed. */
  failed: number;
  /** Attempts made (= Allowed + Blocked). */
  attempts: number;
  /** Retries made (attempts − requests). */
  retries: number;
  /** Retries the budget refused (the request failed there). */
  budgetRefused: number;
}

/**
 * The clients: the request table (attempt count, spec, fleet instance of the
 * attempt in flight), the retry queue and the budget. Slots are reused; a
 * slot id is the tag an attempt carries through the backend.
 */
export class Caller {
  readonly policy: Readonly<RetryPolicy>;
  readonly #rng: GoRand;
  readonly #budget: RetryBudget | undefined;
  readonly #retries = new MinHeap(1024);
  #attempts = new Int32Array(1024);
  #spec = new Int32Array(1024);
  #instance = new Int32Array(1024);
  #free: number[] = [];
  #next = 0;

  requests = 0;
  succeeded = 0;
  failed = 0;
  attemptCount = 0;
  retryCount = 0;
  budgetRefused = 0;

  /** Time of the retry taken by the last `popRetry`, ns. */
  poppedNs = 0;

  constructor(policy: RetryPolicy, seed: number) {
    checkRetryPolicy(policy);
    this.policy = policy;
    const s = BigInt(seed);
    this.#rng = new GoRand(s, (s >> 32n) ^ CALLER_STREAM);
    this.#budget = policy.budget === undefined ? undefined : new RetryBudget(policy.budget);
  }

  /** Retries waiting for their time. */
  get pendingRetries(): number {
    return this.#retries.size;
  }

  /** Time of the earliest waiting retry, ns; +∞ when none. */
  nextRetryNs(): number {
    return this.#retries.peekKey();
  }

  /** Takes the earliest waiting retry: returns its slot (time in `poppedNs`); counts the attempt. */
  popRetry(): number {
    this.poppedNs = this.#retries.peekKey();
    const slot = this.#retries.pop();
    this.#attempts[slot]!++;
    this.attemptCount++;
    this.retryCount++;
    return slot;
  }

  /** A new request of spec `specIndex` arrives at `tNs`: its slot (first attempt counted). */
  open(tNs: number, specIndex: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#next++;
      if (slot === this.#attempts.length) this.#grow();
    }
    this.#attempts[slot] = 1;
    this.#spec[slot] = specIndex;
    this.requests++;
    this.attemptCount++;
    this.#budget?.deposit(tNs);
    return slot;
  }

  /** Spec index of the request in `slot`. */
  specOf(slot: number): number {
    return this.#spec[slot]!;
  }

  /** The fleet instance that handles the request's current attempt. */
  setInstance(slot: number, instance: number): void {
    this.#instance[slot] = instance;
  }

  instanceOf(slot: number): number {
    return this.#instance[slot]!;
  }

  /** The attempt in `slot` was refused by the breaker at `tNs`. */
  blocked(slot: number, tNs: number): void {
    if (this.policy.retryBlocked) this.#failedAttempt(slot, tNs, tNs);
    else this.#finish(slot, false);
  }

  /**
   * The attempt in `slot` completed; the client learns it at `seenNs` (the
   * delivered completion time); `nowNs` is the time of the event during which
   * it was delivered (≥ seenNs).
   */
  completed(slot: number, ok: boolean, seenNs: number, nowNs: number): void {
    if (ok) this.#finish(slot, true);
    else this.#failedAttempt(slot, seenNs, nowNs);
  }

  #failedAttempt(slot: number, seenNs: number, nowNs: number): void {
    const made = this.#attempts[slot]!;
    if (made >= this.policy.attempts) {
      this.#finish(slot, false);
      return;
    }
    const budget = this.#budget;
    if (budget !== undefined && !budget.tryWithdraw(seenNs)) {
      this.budgetRefused++;
      this.#finish(slot, false);
      return;
    }
    const u = this.policy.jitter === 'none' ? 0 : this.#rng.float64();
    const due = seenNs + backoffNs(this.policy, made, u);
    this.#retries.push(Math.max(due, nowNs), slot);
  }

  #finish(slot: number, ok: boolean): void {
    if (ok) this.succeeded++;
    else this.failed++;
    this.#free.push(slot);
  }

  #grow(): void {
    const n = this.#attempts.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.#attempts = grow(this.#attempts);
    this.#spec = grow(this.#spec);
    this.#instance = grow(this.#instance);
  }

  stats(): RequestStats {
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      failed: this.failed,
      attempts: this.attemptCount,
      retries: this.retryCount,
      budgetRefused: this.budgetRefused,
    };
  }
}
