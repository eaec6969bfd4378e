/**
 * Shared pieces of the suite tests: the published options, stand-in results
 * and a suite's jobs and output for given options; for the recorder tests,
 * scripted breakers, a fake backend, specs and column helpers.
 */
import type { Candidate, CandidateProbe, CandidateState } from '../../src/candidates/candidate.js';
import type { ClosedLoopResult } from '../../src/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../src/sim/workload/load-spec.js';
import type { TracedBackend } from '../../src/suites/closed-loop/trace.js';
import type { Job, Suite, SuiteOptions, SuiteOutput } from '../../src/suites/shared/suite.js';

/** The published setup (built-in workload, all specs, base seed, reference backend), with `extra`. */
export function options(extra: Partial<SuiteOptions> & Record<string, unknown> = {}): SuiteOptions {
  const specs = cyberMonday();
  return {
    seed: 20241225,
    workload: { name: 'cyber-monday', builtin: true, specs },
    specs: { first: 0, last: specs.length - 1 },
    backend: {},
    ...extra,
  };
}

/** A stand-in closed-loop result. */
export function result(candidate: string, delta: number, crashes = 0): ClosedLoopResult {
  return {
    candidate,
    blocked: 1,
    allowed: 2,
    successes: 2,
    failures: 0,
    successScore: delta + 1,
    failureScore: 1,
    delta,
    maxConcurrency: 3,
    backend: { requests: 2, successes: 2, failures: 0, shed: 0, queueDrops: 0, crashes },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: any suite's plan and own options
type SuiteOf<P, R> = Suite<P, R, any, any>;

/** The jobs `suite` plans for `opts`. */
export function jobsOf<P>(suite: SuiteOf<P, unknown>, opts: SuiteOptions): Job<P>[] {
  return suite.jobs(suite.plan(opts));
}

/** The output of `suite` for `opts` and `results`. */
export function outputOf<R>(
  suite: SuiteOf<unknown, R>,
  opts: SuiteOptions,
  results: R[],
): SuiteOutput {
  return suite.reduce(suite.plan(opts), results);
}

export const S = 1e9;

/** Opens on a failure, closes on a success; admits only while closed. */
export class ScriptedBreaker implements Candidate {
  readonly name = 'Scripted';
  open = false;
  start(): boolean {
    return !this.open;
  }
  state(): CandidateState {
    return this.open ? 'OPEN' : 'CLOSED';
  }
  success(): void {
    this.open = false;
  }
  fail(): void {
    this.open = true;
  }
}

export class ProbingBreaker extends ScriptedBreaker {
  limit = 0;
  inflight = 0;
  probe(): CandidateProbe {
    return { limit: this.limit, inflight: this.inflight };
  }
}

export function fakeBackend(): TracedBackend {
  return {
    crashed: false,
    replicas: 1,
    slots: 11,
    load: 0,
    shed: 0,
    queueDrops: 0,
    crashes: 0,
    slotsPerReplica: 11,
    config: { crashDowntimeS: 2, throughputPerReplica: 150 },
  };
}

export function spec(durationS: number, errorRate = 0.005): LoadSpec {
  return { rpm: 6000, errorRate, durationS, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 };
}

export const list = (a: ArrayLike<number> | undefined): number[] => Array.from(a ?? []);
export const rounded = (a: ArrayLike<number> | undefined): number[] =>
  Array.from(a ?? [], (v) => Math.round(v * 1e9) / 1e9);
export const sum = (a: ArrayLike<number> | undefined): number =>
  Array.from(a ?? []).reduce((x, y) => x + y, 0);
