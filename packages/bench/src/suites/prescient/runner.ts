/**
 * One candidate through the open-loop "prescient" suite (docs/BENCHMARKS.md §4.1):
 * the load generator's event stream drives the breaker, the oracle is sampled
 * at every start, penalties are scored per start, and every change of the
 * returned state is logged for classification.
 *
 * Per event of `OpenLoopStream` (time in ns from the stream origin 0):
 * - `start` at t: sample the oracle; `breaker.start(t)` — admitted (static
 *   breakers' probes included) or rejected; score the decision against the
 *   oracle;
 * - `success` / `error` at t: only if the request was admitted, tell the
 *   breaker `success(t, d)` / `fail(t, d)` with d = t − start (the request's
 *   duration). Outcomes never depend on the breaker (open loop).
 * After every call the returned state (`breaker.state()`) is compared with
 * the previous one (initially the breaker's state before the first call);
 * each change is counted, and each change of the effective state (initially
 * CLOSED) is logged with the oracle's state at that moment, for
 * classification once the run (and so the oracle's whole timeline) is known.
 *
 * Every candidate sees the identical stream for a given workload and seed, so
 * one run is one independent, serializable job (`runPrescientJob`).
 */

import type { Candidate, CandidateState } from '../../candidates/candidate.js';
import { createCandidate } from '../../candidates/registry.js';
import { EventLoopStream } from '../../sim/arrivals/event-loop-stream.js';
import { OpenLoopStream } from '../../sim/arrivals/open-loop-stream.js';
import { cyberMonday } from '../../sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import {
  type ClassifiedTransition,
  classifyTransitions,
  type EffectiveState,
  type EffectiveTransition,
  effectiveState,
  type TransitionCounts,
} from './classify.js';
import { type OracleChange, OracleRecorder, OracleTimeline, PrescientOracle } from './oracle.js';
import { PenaltyScorer } from './penalty.js';

export interface PrescientRunOptions {
  /** The workload (e.g. `cyberMonday()` or a user's `LoadSpec[]`). */
  specs: readonly LoadSpec[];
  seed: number;
  /** SLO success rate of the oracle: OPEN iff a spec's errorRate > 1 − successRate. */
  successRate: number;
  /** Builds the breaker under test (called once). */
  candidate: () => Candidate;
  /** Bucket phase in ns, [0, 1e9); default 0 (buckets anchored at the stream origin). */
  bucketPhaseNs?: number;
  /**
   * Further bucket phases to score the same decisions with (reported in
   * `penaltiesByPhase`), e.g. `UPSTREAM_PHASE_NS`.
   */
  alsoBucketPhasesNs?: readonly number[];
  /** Called rarely (every 2^20 starts and once at the end) with the fraction done. */
  onProgress?: (fractionDone: number) => void;
  /** Optional per-second recording (`PrescientTraceRecorder` in src/report/); off when absent. */
  tracer?: PrescientTracer;
  /**
   * Event-loop batching of completions, tick in ns (docs/BENCHMARKS.md §9.3):
   * the breaker hears of each completion at the end of its tick, with the
   * tick's time. Absent or 0: off. Starts, and so the penalties, keep their times.
   */
  completionTickNs?: number;
}

/**
 * Hook for recording a run: `attach` is called once before the first event
 * and returns the breaker the run drives (the candidate, or a wrapper that
 * observes it without changing its behaviour; it may read `oracle.open`, the
 * oracle sampled for the start being decided); `finish` once at the end with
 * the time of the last event.
 */
export interface PrescientTracer {
  attach(run: {
    candidate: Candidate;
    oracle: OracleRecorder;
    specs: readonly LoadSpec[];
  }): Candidate;
  finish(run: { endNs: number }): void;
}

/** The sampled oracle of a run (the same for every candidate of a workload and seed). */
export interface OracleSummary {
  /** The change list (the oracle starts CLOSED; the first change is to OPEN). */
  changes: OracleChange[];
  /** Time of the first event (the first start), ns. */
  startNs: number;
  /** Time of the last event (the last completion), ns. */
  endNs: number;
}

/** Penalties of one run scored with buckets of a given phase. */
export interface PhasePenalties {
  bucketPhaseNs: number;
  badTraffic: number;
  lostBusiness: number;
  totalPenalty: number;
}

/** Plain data (structured-clonable): one candidate's open-loop result. */
export interface PrescientCandidateResult {
  /** Display name reported by the candidate, e.g. `Static-Peak`. */
  candidate: string;
  /** Start events seen (= blocked + allowed). */
  requests: number;
  blocked: number;
  allowed: number;
  /** Outcomes reported to the breaker. */
  successes: number;
  failures: number;
  badTraffic: number;
  lostBusiness: number;
  totalPenalty: number;
  /** Requests admitted while the oracle was OPEN. */
  badRequests: number;
  /** Requests rejected while the oracle was CLOSED. */
  lostRequests: number;
  /** Bucket phase the penalties were computed with, ns. */
  bucketPhaseNs: number;
  /** The same penalties at the phases of `alsoBucketPhasesNs`, in that order. */
  penaltiesByPhase: PhasePenalties[];
  /** Classified changes of the effective state, counted by category. */
  transitions: TransitionCounts;
  /** Changes of the raw returned state (every `from>to` pair counted). */
  rawTransitions: Record<string, number>;
  /**
   * The classified effective transitions, in time order: the first
   * `TRANSITION_LOG_MAX` of them (the counts in `transitions` cover all).
   */
  transitionLog: ClassifiedTransition[];
  /** Classified transitions left out of `transitionLog` (0 unless it hit its cap). */
  transitionLogOmitted: number;
  oracle: OracleSummary;
}

const PROGRESS_MASK = (1 << 20) - 1;

/**
 * Most transitions kept in a result's log. A breaker that changes state on
 * almost every request (the SRE throttle flips between THROTTLED and CLOSED
 * with its drop probability) would otherwise return millions of entries per
 * run, which the CLI holds for every candidate until the suite ends.
 */
export const TRANSITION_LOG_MAX = 10_000;

/** Which requests (by event id) were admitted and have not completed yet. */
class AdmittedSet {
  #bits = new Uint32Array(1 << 16);

  add(id: number): void {
    const word = id >>> 5;
    if (word >= this.#bits.length) {
      let len = this.#bits.length * 2;
      while (len <= word) len *= 2;
      const grown = new Uint32Array(len);
      grown.set(this.#bits);
      this.#bits = grown;
    }
    this.#bits[word]! |= 1 << (id & 31);
  }

  /** Whether `id` was admitted; forgets it. */
  take(id: number): boolean {
    const word = id >>> 5;
    if (word >= this.#bits.length) return false;
    const mask = 1 << (id & 31);
    const w = this.#bits[word]!;
    if ((w & mask) === 0) return false;
    this.#bits[word] = w & ~mask;
    return true;
  }
}

export function runPrescient(opts: PrescientRunOptions): PrescientCandidateResult {
  const { specs, seed, onProgress } = opts;
  const candidate = opts.candidate();
  const tick = opts.completionTickNs ?? 0;
  const stream: OpenLoopStream | EventLoopStream =
    tick > 0
      ? new EventLoopStream(new OpenLoopStream(specs, seed), tick)
      : new OpenLoopStream(specs, seed);
  const oracle = new PrescientOracle(specs, opts.successRate);
  const recorder = new OracleRecorder(oracle);
  const tracer = opts.tracer;
  const breaker = tracer?.attach({ candidate, oracle: recorder, specs }) ?? candidate;
  const scorer = new PenaltyScorer(opts.bucketPhaseNs ?? 0);
  const extraScorers = (opts.alsoBucketPhasesNs ?? []).map((p) => new PenaltyScorer(p));
  const scorers = [scorer, ...extraScorers];
  const admittedSet = new AdmittedSet();

  let totalNs = 0;
  for (const spec of specs) totalNs += spec.durationS * 1e9;

  let blocked = 0;
  let allowed = 0;
  let successes = 0;
  let failures = 0;
  let prev: CandidateState = breaker.state();
  let prevEffective: EffectiveState = 'CLOSED';
  const rawTransitions: Record<string, number> = {};
  const effective: EffectiveTransition[] = [];
  let originNs = Number.NaN;
  let lastNs = 0;
  let open = false;

  while (stream.next()) {
    const t = stream.t;
    const isStart = stream.kind === 'start';
    if (isStart) {
      if (Number.isNaN(originNs)) originNs = t;
      open = recorder.sample(t);
      const admitted = breaker.start(t);
      if (admitted) {
        allowed++;
        admittedSet.add(stream.id);
      } else {
        blocked++;
      }
      if (scorers.length === 1) scorer.record(t, admitted, open);
      else for (const s of scorers) s.record(t, admitted, open);
      if ((stream.starts & PROGRESS_MASK) === 0 && onProgress !== undefined) {
        onProgress(Math.min(t / totalNs, 1));
      }
    } else {
      lastNs = t;
      if (!admittedSet.take(stream.id)) continue;
      if (stream.kind === 'success') {
        breaker.success(t, stream.durationNs);
        successes++;
      } else {
        breaker.fail(t, stream.durationNs);
        failures++;
      }
    }
    const state = breaker.state();
    if (state !== prev) {
      const key = `${prev}>${state}`;
      rawTransitions[key] = (rawTransitions[key] ?? 0) + 1;
      prev = state;
      const eff = effectiveState(state);
      if (eff !== prevEffective) {
        prevEffective = eff;
        // At a start the oracle was just sampled; at a completion it is evaluated at t.
        const oracleOpen = isStart ? open : oracle.openAt(t - originNs);
        effective.push({ tNs: t, to: eff, oracleOpen });
      }
    }
  }
  tracer?.finish({ endNs: lastNs });
  onProgress?.(1);

  const penalties = scorer.finish();
  const timeline = new OracleTimeline(recorder.changes, lastNs);
  const classified = classifyTransitions(effective, timeline);
  return {
    candidate: breaker.name,
    requests: blocked + allowed,
    blocked,
    allowed,
    successes,
    failures,
    badTraffic: penalties.badTraffic,
    lostBusiness: penalties.lostBusiness,
    totalPenalty: penalties.totalPenalty,
    badRequests: penalties.badRequests,
    lostRequests: penalties.lostRequests,
    bucketPhaseNs: scorer.phaseNs,
    penaltiesByPhase: extraScorers.map((s) => {
      const p = s.finish();
      return {
        bucketPhaseNs: s.phaseNs,
        badTraffic: p.badTraffic,
        lostBusiness: p.lostBusiness,
        totalPenalty: p.totalPenalty,
      };
    }),
    transitions: classified.counts,
    rawTransitions,
    transitionLog: classified.transitions.slice(0, TRANSITION_LOG_MAX),
    transitionLogOmitted: Math.max(0, classified.transitions.length - TRANSITION_LOG_MAX),
    oracle: {
      changes: recorder.changes,
      startNs: Number.isNaN(originNs) ? 0 : originNs,
      endNs: lastNs,
    },
  };
}

/** An inclusive range of spec indices into the workload. */
export interface PrescientSpecRange {
  first: number;
  last: number;
}

/**
 * Everything one candidate's run needs, as plain data (so it can be posted to
 * a worker thread). The oracle uses `slo.successRate`; Levee is built with
 * the whole SLO; other candidates ignore it.
 */
export interface PrescientJob {
  /** Candidate registry key, e.g. `levee`, `static-bau`, `static-peak`. */
  candidate: string;
  seed: number;
  slo: { successRate: number; timeoutMs: number };
  /** Inclusive spec range of the workload; default all specs. */
  specs?: PrescientSpecRange;
  /** The workload; default `cyberMonday()`. */
  workload?: LoadSpec[];
  /** Bucket phase, ns in [0, 1e9); default 0. */
  bucketPhaseNs?: number;
  /** Further bucket phases to report penalties for (see `PrescientRunOptions`). */
  alsoBucketPhasesNs?: number[];
  /** Event-loop tick of completions, ms (docs/BENCHMARKS.md §9.3); absent: off. */
  tickMs?: number;
}

/** The specs a job runs on: its workload (default Cyber Monday), sliced to its range. */
export function prescientJobSpecs(job: Pick<PrescientJob, 'specs' | 'workload'>): LoadSpec[] {
  const all = job.workload ?? cyberMonday();
  if (job.specs === undefined) return all.slice();
  const { first, last } = job.specs;
  if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 0 && first <= last)) {
    throw new RangeError(`bad spec range ${first}-${last}`);
  }
  if (last >= all.length) {
    throw new RangeError(
      `spec range ${first}-${last} is outside the workload (specs 0-${all.length - 1})`,
    );
  }
  return all.slice(first, last + 1);
}

/** Runs one job: the candidate from the registry on the job's workload and seed. */
export function runPrescientJob(
  job: PrescientJob,
  onProgress?: (fractionDone: number) => void,
  tracer?: PrescientTracer,
): PrescientCandidateResult {
  const specs = prescientJobSpecs(job);
  const slo = { successRate: job.slo.successRate, timeoutMs: job.slo.timeoutMs };
  return runPrescient({
    specs,
    seed: job.seed,
    successRate: slo.successRate,
    candidate: () => createCandidate(job.candidate, { slo }),
    ...(job.bucketPhaseNs === undefined ? {} : { bucketPhaseNs: job.bucketPhaseNs }),
    ...(job.alsoBucketPhasesNs === undefined ? {} : { alsoBucketPhasesNs: job.alsoBucketPhasesNs }),
    ...(job.tickMs === undefined
      ? {}
      : { completionTickNs: Math.max(1, Math.round(job.tickMs * 1e6)) }),
    ...(onProgress === undefined ? {} : { onProgress }),
    ...(tracer === undefined ? {} : { tracer }),
  });
}
