/**
 * The run's timeline and its arrival schedule. Time is integer nanoseconds
 * since the start of the first phase (t0, a `process.hrtime.bigint()` value
 * shared by every thread of the run: the clock is process-wide); the warm-up
 * runs just before t0 and is not recorded.
 *
 * Arrivals are a Poisson process per phase (exponential gaps at the phase's
 * rate) from a seeded PCG, so every governor is offered the same request
 * times; only the real clock (when each request actually goes out and
 * comes back) differs between runs.
 */
import { GoRand } from '../../sim/rng/go-rand.js';
import {
  capacityRps,
  type DependencyMode,
  type LoadConfig,
  type PhasePart,
  type PhaseSpec,
  phaseDef,
  type ServiceConfig,
} from './config.js';

export const NS_PER_S = 1e9;
export const NS_PER_MS = 1e6;

/** One phase placed on the timeline. */
export interface TimelinePhase {
  /** Index in the run (−1: the warm-up). */
  index: number;
  name: string;
  label: string;
  part: PhasePart;
  mode: DependencyMode;
  recovery: boolean;
  /** Requests per second offered. */
  rate: number;
  startNs: number;
  endNs: number;
}

/** The phases of `specs` back to back from 0, with their rates. */
export function buildTimeline(
  specs: readonly PhaseSpec[],
  service: Pick<ServiceConfig, 'slots' | 'serviceMs'>,
  load: Pick<LoadConfig, 'clientRps'>,
): TimelinePhase[] {
  const capacity = capacityRps(service);
  let t = 0;
  return specs.map((spec, index) => {
    const def = phaseDef(spec.name);
    const startNs = t;
    t += Math.round(spec.seconds * NS_PER_S);
    return {
      index,
      name: def.name,
      label: def.label,
      part: def.part,
      mode: def.mode,
      recovery: def.recovery,
      rate: def.load * (def.part === 'service' ? capacity : load.clientRps),
      startNs,
      endNs: t,
    };
  });
}

/** The unrecorded warm-up before t0: calm service load (0.5× capacity). */
export function warmupPhase(
  service: Pick<ServiceConfig, 'slots' | 'serviceMs'>,
  warmupMs: number,
): TimelinePhase {
  return {
    index: -1,
    name: 'warmup',
    label: 'warm-up',
    part: 'service',
    mode: 'ok',
    recovery: false,
    rate: 0.5 * capacityRps(service),
    startNs: -Math.round(warmupMs * NS_PER_MS),
    endNs: 0,
  };
}

/** End of the last phase, ns. */
export function timelineEndNs(timeline: readonly TimelinePhase[]): number {
  return timeline.length === 0 ? 0 : timeline[timeline.length - 1]!.endNs;
}

/**
 * The arrival times of one phase, in order: Poisson at the phase's rate,
 * from a generator seeded by the run's seed and the phase's index. At most
 * `maxCount` arrivals (a hard bound whatever the draws).
 */
export class Arrivals {
  readonly #rng: GoRand;
  readonly #meanGapNs: number;
  readonly #endNs: number;
  #t: number;
  #left: number;

  constructor(seed: number, phase: TimelinePhase) {
    this.#rng = new GoRand(BigInt(seed), BigInt(phase.index + 2));
    this.#meanGapNs = phase.rate > 0 ? NS_PER_S / phase.rate : Number.POSITIVE_INFINITY;
    this.#t = phase.startNs;
    this.#endNs = phase.endNs;
    this.#left = maxArrivals(phase);
  }

  /** The next arrival time (integer ns), or undefined once the phase is over. */
  next(): number | undefined {
    if (this.#left <= 0 || !Number.isFinite(this.#meanGapNs)) return undefined;
    this.#t += this.#rng.expFloat64() * this.#meanGapNs;
    if (this.#t >= this.#endNs) {
      this.#left = 0;
      return undefined;
    }
    this.#left--;
    return Math.floor(this.#t);
  }
}

/**
 * Upper bound on a phase's arrivals: the mean plus ten standard deviations
 * (a Poisson count of mean m has standard deviation √m; ten of them are
 * never reached in practice), plus 10 for tiny phases.
 */
export function maxArrivals(phase: Pick<TimelinePhase, 'rate' | 'startNs' | 'endNs'>): number {
  const mean = (phase.rate * (phase.endNs - phase.startNs)) / NS_PER_S;
  return Math.ceil(mean + 10 * Math.sqrt(mean) + 10);
}
