/**
 * The faults suite's oracle (docs/BENCHMARKS.md §9.4): a governor that knows
 * the fault schedule and nothing else. It refuses exactly the calls that
 * cannot succeed — those submitted during an outage, a hang or a flap's down
 * part — and admits every other call, including during an `error` window
 * (each call there still succeeds with probability 1 − share) and a `slow`
 * one (it knows nothing about capacity). Outcomes do not change it.
 *
 * Where admitting every healthy call does not overload the backend (its row
 * shows no shed, queue drop or crash), no governor can do better on the
 * Delta: refusing a call the oracle admits loses that call's expected success
 * and lowers the admitted share, admitting one it refuses adds a certain
 * failure (§9.4 works the trade-off out). Only used by the faults suite, so it
 * lives here rather than in the candidate registry.
 */
import type { Candidate, CandidateState } from '../../candidates/candidate.js';
import { FaultSchedule, type FaultWindow } from '../../sim/workload/faults.js';

export const ORACLE_KEY = 'oracle';
export const ORACLE_NAME = 'Oracle';

export class ScheduleOracle implements Candidate {
  readonly name = ORACLE_NAME;
  readonly #schedule: FaultSchedule;
  #state: CandidateState = 'CLOSED';

  /** `windows` in run time (`runFaultWindows`); the seed is irrelevant (the oracle never draws). */
  constructor(windows: readonly FaultWindow[]) {
    this.#schedule = new FaultSchedule(windows, 0);
  }

  start(tNs: number): boolean {
    const doomed = this.#schedule.doomedAt(tNs);
    this.#state = doomed ? 'OPEN' : 'CLOSED';
    return !doomed;
  }

  state(): CandidateState {
    return this.#state;
  }

  success(_tNs: number, _latencyNs: number): void {}

  fail(_tNs: number, _latencyNs: number): void {}
}
