/**
 * The backend's latency generator (docs/BENCHMARKS.md §5.4 "Latency generator"):
 * its own Go PCG stream seeded like the dispatcher's (a separate instance),
 * drawing one uniform per submit for the nominal service time and uniforms for
 * the error rolls.
 *
 * Service times follow the loadgen latency shape of the request's spec, except
 * that an incident spec (errorRate > 0.10) uses the profile of the next
 * non-incident spec; the sample is clamped to [0, timeout] and converted to
 * integer nanoseconds by truncation.
 */
import { GoRand } from '../rng/go-rand.js';
import { baselineErrorRates, isIncident } from '../workload/cyber-monday.js';
import { analyticMeanMs, LatencyProfile } from '../workload/latency-profile.js';
import type { LoadSpec } from '../workload/load-spec.js';

/**
 * Index of the spec whose latency profile the backend uses for each spec: the
 * spec itself, or for an incident spec the next non-incident one (itself if
 * none follows).
 */
export function backendProfileIndices(specs: readonly LoadSpec[]): number[] {
  const out = new Array<number>(specs.length);
  let next = -1;
  for (let i = specs.length - 1; i >= 0; i--) {
    const spec = specs[i]!;
    if (!isIncident(spec)) next = i;
    out[i] = isIncident(spec) && next >= 0 ? next : i;
  }
  return out;
}

/**
 * Worker slots per replica by Little's law from the first spec's profile:
 * ceil(throughput × analytic mean latency in seconds) — 11 for Cyber Monday.
 */
export function slotsByLittlesLaw(
  specs: readonly LoadSpec[],
  throughputPerReplica: number,
): number {
  const first = specs[0];
  if (first === undefined) throw new RangeError('the workload has no specs');
  const meanMs = analyticMeanMs(first.p50Ms, first.p99Ms, first.timeoutMs);
  return Math.max(1, Math.ceil((throughputPerReplica * meanMs) / 1000));
}

export class LatencyGenerator {
  readonly #rng: GoRand;
  readonly #profiles: LatencyProfile[];
  readonly #clampMs: Float64Array;
  readonly #timeoutNs: Float64Array;
  readonly #baseline: Float64Array;

  constructor(specs: readonly LoadSpec[], seed: number) {
    this.#rng = GoRand.seeded(seed);
    const own = specs.map((s) => new LatencyProfile(s.p50Ms, s.p99Ms, s.timeoutMs));
    this.#profiles = backendProfileIndices(specs).map((i) => own[i]!);
    this.#clampMs = Float64Array.from(specs, (s) => s.timeoutMs);
    this.#timeoutNs = Float64Array.from(specs, (s) => Math.trunc(s.timeoutMs * 1e6));
    this.#baseline = Float64Array.from(baselineErrorRates(specs));
  }

  /** Draw the nominal service time (ns) of a request of spec `specIndex`. */
  nominalNs(specIndex: number): number {
    const x = this.#rng.float64();
    let ms = this.#profiles[specIndex]!.sampleMs(x);
    const max = this.#clampMs[specIndex]!;
    if (ms > max) ms = max;
    else if (ms < 0) ms = 0;
    return Math.trunc(ms * 1e6);
  }

  /** One uniform in [0, 1) for an error roll. */
  roll(): number {
    return this.#rng.float64();
  }

  /** The request timeout of spec `specIndex`, ns. */
  timeoutNs(specIndex: number): number {
    return this.#timeoutNs[specIndex]!;
  }

  /** The baseline error probability of spec `specIndex`. */
  baselineErrorRate(specIndex: number): number {
    return this.#baseline[specIndex]!;
  }
}
