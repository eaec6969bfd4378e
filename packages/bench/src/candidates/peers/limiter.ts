/**
 * Shared plumbing for the reference adaptive limiters (admission controllers).
 *
 * Admission is the one rule all of them share: reject when the requests in
 * flight have reached the current (integer) limit, as Netflix's SimpleLimiter
 * and Envoy's `forwardingDecision` do; otherwise count the request in flight
 * and remember how many were in flight including it (Netflix passes that
 * number to the limit algorithm with the sample).
 *
 * Outcomes: a success is a normal sample; a failure is a *drop* (Netflix
 * `onDropped`): the simulator cannot tell load-induced errors and timeouts
 * from other errors, so every failure counts. Both carry the measured latency
 * as the RTT.
 *
 * State mapping (limiters have no open circuit): `THROTTLED` while the limit is
 * binding — requests in flight ≥ limit, i.e. the next request would be
 * rejected (which includes right after a rejection) — else `CLOSED`. `OPEN` and
 * `HALF_OPEN` are never reported.
 */
import type { Candidate, CandidateState } from '../candidate.js';
import { PendingByStart } from './pending.js';

export abstract class InflightLimiter implements Candidate {
  abstract readonly name: string;
  #inFlight = 0;
  readonly #pending = new PendingByStart<number>();

  /** The integer admission limit right now. */
  abstract get limit(): number;

  /** Requests admitted and not yet completed. */
  get inFlight(): number {
    return this.#inFlight;
  }

  start(tNs: number): boolean {
    this.advance(tNs);
    if (this.#inFlight >= this.limit) return false;
    this.#pending.put(tNs, ++this.#inFlight);
    return true;
  }

  state(): CandidateState {
    return this.#inFlight >= this.limit ? 'THROTTLED' : 'CLOSED';
  }

  success(tNs: number, latencyNs: number): void {
    this.#complete(tNs, latencyNs, false);
  }

  fail(tNs: number, latencyNs: number): void {
    this.#complete(tNs, latencyNs, true);
  }

  /** Called before every event at its time (time-driven controllers run their timers here). */
  protected advance(_tNs: number): void {}

  /**
   * One completed request: `rttNs` its latency, `inFlightAtStart` the requests
   * in flight when it was admitted (itself included), `didDrop` true for a
   * failure. Called after the in-flight count was decremented.
   */
  protected abstract onSample(
    tNs: number,
    rttNs: number,
    inFlightAtStart: number,
    didDrop: boolean,
  ): void;

  #complete(tNs: number, latencyNs: number, didDrop: boolean): void {
    this.advance(tNs);
    const atStart = this.#pending.take(tNs - latencyNs);
    if (atStart === undefined) return; // nothing in flight: not one of ours
    this.#inFlight--;
    this.onSample(tNs, latencyNs, atStart, didDrop);
  }
}
