/**
 * Who governs the live service (and the client part's calls):
 *
 * - `none`: nothing; every request goes in.
 * - `oracle`: a static inflight limit at the service's known capacity, its
 *   worker slots (by Little's law the concurrency that keeps every slot busy
 *   without queueing). The same limit bounds the client part's calls.
 * - `levee`: Levee through its real integrations: inbound the flavour's
 *   middleware (`@leveejs/levee/http` `shedLoad`, `/express` `shedLoad`,
 *   `/fastify` plugin), outbound the `@leveejs/levee/fetch` wrapper.
 * - any candidate of the bench's registry (`aimd`, `gradient2`, `opossum-default`, …;
 *   `levee-oob` is the registry's Levee), out of band: the candidate's
 *   `start`/`success`/`fail` with integer nanoseconds since the run start
 *   from `process.hrtime.bigint()`, wrapped the way the integrations wrap
 *   Levee (a final status ≥ 500 or a connection closed before the response
 *   is a failure).
 */
import type { Candidate, CandidateProbe, CandidateState } from '../../candidates/candidate.js';
import { NoCB } from '../../candidates/no-cb.js';
import { InflightLimiter } from '../../candidates/peers/limiter.js';
import { CANDIDATE_GROUPS, CANDIDATES, createCandidate } from '../../candidates/registry.js';
import { OptionValueError } from '../shared/suite.js';
import type { LiveSlo } from './config.js';

/** Governors that are not plain registry candidates. */
const SPECIAL: Readonly<Record<string, string>> = {
  none: 'None',
  oracle: 'Static-Oracle',
  levee: 'Levee',
  'levee-oob': 'Levee (out-of-band)',
};

/** Groups `--governors` accepts (the registry's peer groups). */
const GOVERNOR_GROUPS = ['limiters', 'libraries', 'peers'] as const;

/** Every governor name, in registry order after the special ones. */
export function governorNames(): string[] {
  return [...Object.keys(SPECIAL), ...CANDIDATES.map((c) => c.key).filter((k) => k !== 'levee')];
}

/** The default set: the baseline, the oracle, Levee and one adaptive limiter. */
export const DEFAULT_GOVERNORS: readonly string[] = Object.freeze([
  'none',
  'oracle',
  'levee',
  'aimd',
]);

/** Display name of a governor. */
export function governorDisplayName(name: string): string {
  const special = SPECIAL[name];
  if (special !== undefined) return special;
  const entry = CANDIDATES.find((c) => c.key === name);
  if (entry === undefined) throw new Error(`unknown live governor "${name}"`);
  return entry.displayName;
}

/** `--governors`: names and groups (expanded, duplicates skipped); a name given twice is an error. */
export function parseGovernors(value: string): string[] {
  const known = governorNames();
  const tokens = value.split(',').map((s) => s.trim());
  if (tokens.some((t) => t === '')) {
    throw new OptionValueError(value, 'empty governor name; use a comma-separated list');
  }
  const out: string[] = [];
  const given = new Set<string>();
  for (const token of tokens) {
    if (given.has(token)) throw new OptionValueError(token, 'governor listed twice');
    given.add(token);
    if ((GOVERNOR_GROUPS as readonly string[]).includes(token)) {
      for (const m of CANDIDATE_GROUPS[token] ?? []) if (!out.includes(m)) out.push(m);
      continue;
    }
    if (!known.includes(token)) {
      throw new OptionValueError(
        token,
        `unknown governor; known: ${known.join(', ')} and the groups ${GOVERNOR_GROUPS.join(', ')}`,
      );
    }
    if (!out.includes(token)) out.push(token);
  }
  return out;
}

/**
 * The governors for a `--candidates` list: the baseline, the oracle and
 * Levee (its integrations), then each candidate out of band (`levee` is
 * already there as its integrations, `no-cb` as `none`).
 */
export function governorsForCandidates(candidates: readonly string[]): string[] {
  const out = ['none', 'oracle', 'levee'];
  for (const c of candidates) {
    const g = c === 'no-cb' ? 'none' : c;
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

/**
 * The oracle: admit while fewer than `limit` requests are in flight. THROTTLED
 * while the limit is reached.
 */
export class StaticLimit implements Candidate {
  readonly name = 'Static-Oracle';
  readonly #limit: number;
  #inflight = 0;

  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) {
      throw new RangeError(`oracle limit must be a positive integer, got ${limit}`);
    }
    this.#limit = limit;
  }

  start(_tNs: number): boolean {
    if (this.#inflight >= this.#limit) return false;
    this.#inflight++;
    return true;
  }

  state(): CandidateState {
    return this.#inflight >= this.#limit ? 'THROTTLED' : 'CLOSED';
  }

  success(_tNs: number, _latencyNs: number): void {
    if (this.#inflight > 0) this.#inflight--;
  }

  fail(_tNs: number, _latencyNs: number): void {
    if (this.#inflight > 0) this.#inflight--;
  }

  probe(): CandidateProbe {
    return { limit: this.#limit, inflight: this.#inflight };
  }
}

/**
 * A fresh out-of-band candidate for `governor` (any governor but `levee`,
 * whose integrations are used instead). `oracleLimit`: the oracle's limit.
 */
export function createOutOfBand(governor: string, slo: LiveSlo, oracleLimit: number): Candidate {
  if (governor === 'none') return new NoCB();
  if (governor === 'oracle') return new StaticLimit(oracleLimit);
  if (governor === 'levee') throw new Error('levee governs through its integrations');
  const key = governor === 'levee-oob' ? 'levee' : governor;
  return createCandidate(key, { slo: { successRate: slo.successRate, timeoutMs: slo.timeoutMs } });
}

/** What the samplers read from a governor. */
export interface GovernorSample {
  state: CandidateState;
  /** Inflight limit enforced, 0 for none. */
  limit: number;
  inflight: number;
}

/** Integer nanoseconds since the run start (the clock every out-of-band candidate is fed). */
export type NsClock = () => number;

/** Completes one admitted request exactly once. */
export interface GatePermit {
  /** The request ended with `status` (≥ 500: failure). */
  finish(status: number): void;
  /** The request failed (connection closed first, network error, deadline). */
  fail(): void;
}

/**
 * A candidate behind the admission shape of the integrations. Counts its own
 * inflight (every candidate, whatever it reports), and never hands a
 * candidate a time earlier than one it has seen.
 */
export class CandidateGate {
  readonly candidate: Candidate;
  readonly #clock: NsClock;
  #last = 0;
  #inflight = 0;

  constructor(candidate: Candidate, clock: NsClock) {
    this.candidate = candidate;
    this.#clock = clock;
  }

  #now(): number {
    const t = this.#clock();
    if (t > this.#last) this.#last = t;
    return this.#last;
  }

  /** A permit, or undefined when the candidate sheds the request. */
  admit(): GatePermit | undefined {
    const started = this.#now();
    if (!this.candidate.start(started)) return undefined;
    this.#inflight++;
    let done = false;
    const complete = (failed: boolean): void => {
      if (done) return;
      done = true;
      this.#inflight--;
      const t = this.#now();
      if (failed) this.candidate.fail(t, t - started);
      else this.candidate.success(t, t - started);
    };
    return {
      finish: (status) => complete(status >= 500),
      fail: () => complete(true),
    };
  }

  sample(): GovernorSample {
    const c = this.candidate;
    // The reference limiters have no probe, but their limit is public.
    const limit = c.probe?.().limit ?? (c instanceof InflightLimiter ? c.limit : 0);
    return { state: c.state(), limit, inflight: this.#inflight };
  }
}
