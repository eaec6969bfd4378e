/**
 * The scenarios of `levee-bench faults` (docs/BENCHMARKS.md §9.4). Each
 * states why real dependencies behave that way, what an ideal governor would
 * do and what bounds the score. Purpose-built workloads are files under
 * `examples/workloads/` read through the workload-file path (their fault
 * windows are declared in them); the Cyber Monday ones are a shortened hour
 * of the built-in workload.
 *
 * Constants, and why (none is tuned to a candidate or a seed):
 * - 500 requests/s on 5 replicas (faults-backend.json: minReplicas 5 =
 *   ceil(500 / (0.70 × 150)), the HPA's own target for that load): 61 % of
 *   the 55 worker slots busy, so without a fault nothing is shed and every
 *   failure in a run is the fault's doing; 20 minutes of calm before the fault
 *   and at least 25 after it.
 * - Windows of 5 minutes (outage, hang: the brief) or 10 minutes (partial
 *   failure, brownout, flapping: long enough that the slowest reaction among
 *   the candidates, a 30 s open timeout, is a small part of the window).
 * - Flapping: 30 s down, 30 s up (a crash-looping or health-check-evicted
 *   dependency: liveness probes every 10 s, 3 failures, a 30 s restart).
 * - Retry storm: the outage is followed by 3 minutes at half speed (a
 *   restarted service with cold caches and connection pools), and the
 *   clients make up to 4 attempts with backoff min(1 s, 100 ms × 2^(n−1)) and
 *   full jitter — gRPC allows at most 5 attempts, full jitter is the original
 *   gRFC A6 rule and AWS's advice; a second scenario adds Finagle's default
 *   budget (20 % of requests, 10 retries/s, 10 s).
 * - Scale and batching: Cyber Monday's 09:00 spike with 10 calm minutes on
 *   either side (specs 47–52, the first and last shortened to 600 s), at 1×,
 *   at 4× (4× traffic, 4× throughput, worker slots and queue per replica: the
 *   same service four times larger), and at 1× with completions batched in
 *   1 ms ticks (Node's timers and libuv's loop clock have millisecond
 *   resolution).
 */
import { fileURLToPath } from 'node:url';
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import { loadBackendFile } from '../../sim/backend/backend-file.js';
import type { RetryPolicy } from '../../sim/orchestrator/caller.js';
import { DEFAULT_RETRY_POLICY, FINAGLE_BUDGET } from '../../sim/orchestrator/caller.js';
import { withBaselines } from '../../sim/workload/baseline.js';
import { cyberMonday } from '../../sim/workload/cyber-monday.js';
import { loadWorkloadFile } from '../../sim/workload/load-file.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';

/** Where the example workloads live (the repository's `examples/workloads/`). */
export const WORKLOADS_DIR = new URL('../../../../../examples/workloads/', import.meta.url);

export interface FaultScenario {
  /** Command-line name, e.g. `outage-5m`. */
  name: string;
  /** One line for tables and the scoreboard. */
  title: string;
  /** What real dependencies do that this models. */
  rationale: string;
  /** What an ideal governor would do. */
  ideal: string;
  /** What bounds the score (and whether the oracle row is that bound). */
  bound: string;
  /** The workload: an example file's name, or `cyber-monday-spike` (built in). */
  workload: string;
  /** Traffic multiplier (every spec's RPM × this, truncated). */
  scale: number;
  /** Backend overrides on top of faults-backend.json (capacity scaling). */
  backend: Partial<BackendConfig>;
  /** Retrying clients, if any. */
  retry?: RetryPolicy;
  /** Event-loop tick of completions, ms, if any. */
  tickMs?: number;
  /** Run the schedule oracle (`ORACLE_KEY`) too: its Delta is the scenario's bound. */
  oracle: boolean;
  /** A scenario this one is read against (same workload at 1×, or unbatched). */
  referenceScenario?: string;
}

/** The clients of the retry-storm scenarios (see the module comment). */
export const STORM_CLIENTS: Readonly<RetryPolicy> = Object.freeze({ ...DEFAULT_RETRY_POLICY });

const STEADY = 'One hour at 500 requests/s on 5 replicas (61 % busy).';

export const FAULT_SCENARIOS: readonly FaultScenario[] = Object.freeze([
  {
    name: 'partial-15',
    title: 'partial failure: 15 % of calls fail, 10 min',
    rationale: `${STEADY} For 10 minutes 15 % of the calls fail fast whatever the load: one broken shard or replica behind a balancer, a bad deploy on some instances, a failing downstream of the dependency — the mesh's phase C errors, in the closed loop.`,
    ideal:
      'Admit everything: refusing calls does not lower the error share, it only loses the 85 % that would have succeeded.',
    bound:
      'The oracle admits every call here, so its row is No-CB; with no shed, queue drop or crash in it, no governor can beat it.',
    workload: 'faults-partial-15.json',
    scale: 1,
    backend: {},
    oracle: true,
  },
  {
    name: 'outage-5m',
    title: 'hard outage: every call fails fast, 5 min',
    rationale: `${STEADY} For 5 minutes every call fails in 1–5 ms: connections refused after a crash, a bad deploy or a network partition that resets connections.`,
    ideal:
      'Send nothing during the outage (every call sent fails), probe rarely, and admit everything again as soon as it ends.',
    bound:
      'The oracle refuses exactly the outage and admits the rest: the fewer calls sent into the outage, the closer to it.',
    workload: 'faults-outage-5m.json',
    scale: 1,
    backend: {},
    oracle: true,
  },
  {
    name: 'hang-5m',
    title: 'hang: no call answered, 5 min',
    rationale: `${STEADY} For 5 minutes the dependency accepts calls and never answers (a deadlock, a GC death spiral, a black-holed network path): each call ends when the client's 1.5 s timeout fires, so failures arrive 1.5 s late and calls pile up in flight.`,
    ideal:
      'Stop sending as soon as calls stop completing (in-flight count and latency give it away before any failure does), then resume at once.',
    bound: 'The oracle refuses exactly the hang: every call sent into it fails after the timeout.',
    workload: 'faults-hang-5m.json',
    scale: 1,
    backend: {},
    oracle: true,
  },
  {
    name: 'brownout-x4',
    title: 'brownout: service time x4, 10 min',
    rationale: `${STEADY} For 10 minutes every call takes 4× its service time whatever the load (a slow disk, a noisy neighbour, a degraded downstream): the pool serves a quarter of its capacity, 2.5× less than the traffic, and the autoscaler, which counts requests, does not add replicas.`,
    ideal:
      'Admit about what the slowed pool can serve (a quarter of its capacity, about 200 requests/s), refuse the rest, keep queues short and the backend up; admit everything again when it recovers.',
    bound:
      'Successes during the window are at most the slowed capacity; no oracle row (a bound would need the best limit for a queue in overload, not just the schedule).',
    workload: 'faults-brownout-x4.json',
    scale: 1,
    backend: {},
    oracle: false,
  },
  {
    name: 'flap',
    title: 'flapping: down 30 s of every minute, 10 min',
    rationale: `${STEADY} For 10 minutes the dependency is down (fast failures) for 30 s of every minute: a crash-looping instance, a health check that evicts and readmits it, a flapping link.`,
    ideal: 'Follow the flaps: send while it is up, nothing while it is down.',
    bound:
      'The oracle refuses exactly the down halves; a governor that reacts in a second or two loses only those seconds at each edge.',
    workload: 'faults-flap.json',
    scale: 1,
    backend: {},
    oracle: true,
  },
  {
    name: 'retry-storm',
    title: 'retry storm: outage 5 min, cold start, retrying clients',
    rationale: `${STEADY} The 5-minute outage is followed by 3 minutes at half speed (the restarted service with cold caches and pools), and the clients retry every failed or refused call (4 attempts, backoff min(1 s, 100 ms × 2^(n−1)), full jitter, no budget): the retries multiply the calls during the outage and hit the half-speed service when it comes back — the storm comes from the clients.`,
    ideal:
      'Refuse calls during the outage (refusals cost the backend nothing), then admit what the cold service can serve and no more, so that the retries do not turn the cold start into a crash.',
    bound:
      'No bound is computed (retries make the demand depend on the decisions); the per-request table shows what users got.',
    workload: 'faults-outage-cold-start.json',
    scale: 1,
    backend: {},
    retry: STORM_CLIENTS,
    oracle: false,
  },
  {
    name: 'retry-budget',
    title: 'retry storm with a retry budget (Finagle defaults)',
    rationale:
      "The retry storm with clients that keep Finagle's default retry budget: retries may add 20 % to the requests, plus 10 per second, over 10 s.",
    ideal:
      'As in the retry storm; the budget caps what the clients add, so less is left to refuse.',
    bound: 'No bound is computed (as in the retry storm).',
    workload: 'faults-outage-cold-start.json',
    scale: 1,
    backend: {},
    retry: { ...STORM_CLIENTS, budget: { ...FINAGLE_BUDGET } },
    oracle: false,
    referenceScenario: 'retry-storm',
  },
  {
    name: 'spike-1x',
    title: 'Cyber Monday 09:00 spike, shortened (reference)',
    rationale:
      'Cyber Monday from 08:50 to 09:15 (specs 47–52, the calm ones shortened to 10 minutes): calm at 500 requests/s, the hourly spike to 2,640 requests/s with its decay, calm again; the reference backend with 5 replicas minimum. No fault: the reference for the next two scenarios.',
    ideal:
      "Admit what the backend serves during the spike (it scales up 30 s late and the spike's slower calls fill it), keep it from crashing, admit everything in the calm.",
    bound: 'No bound is computed (overload).',
    workload: 'cyber-monday-spike',
    scale: 1,
    backend: {},
    oracle: false,
  },
  {
    name: 'spike-4x',
    title: 'the same spike, service 4x larger',
    rationale:
      'The spike-1x hour with 4× the traffic and a service 4× larger (4× throughput, worker slots and queue per replica): the concurrency that fits is 4× larger, so a limit that happens to fit the reference service by luck does not fit this one.',
    ideal:
      'The same decisions as at 1×, scaled: Delta scales with the counts, so an ideal governor scores 4× its spike-1x Delta (the table shows Delta / 4).',
    bound: "No bound is computed; the yardstick is 4× the candidate's own spike-1x Delta.",
    workload: 'cyber-monday-spike',
    scale: 4,
    backend: { throughputPerReplica: 600, slotsPerReplica: 44, queueDepthPerReplica: 200 },
    oracle: false,
    referenceScenario: 'spike-1x',
  },
  {
    name: 'event-loop',
    title: 'the spike with completions batched in 1 ms ticks',
    rationale:
      "The spike-1x hour with completions delivered the way an event loop does: each at the end of its 1 ms tick, those of one tick together with one timestamp (Node's timers and libuv's loop clock have millisecond resolution). Outcomes and service are unchanged; only the delivery is grouped.",
    ideal:
      'The same decisions as without batching (outcomes reach the governor at most 1 ms later): the same Delta as spike-1x.',
    bound: "No bound is computed; the yardstick is the candidate's own spike-1x Delta.",
    workload: 'cyber-monday-spike',
    scale: 1,
    backend: {},
    tickMs: 1,
    oracle: false,
    referenceScenario: 'spike-1x',
  },
]);

/** Cyber Monday specs 47–52 with the first and last shortened to 600 s (baselines of the full day). */
export function cyberMondaySpike(): LoadSpec[] {
  const all = withBaselines(cyberMonday(), 'schedule');
  const specs = all.slice(47, 53);
  return specs.map((s, i) => (i === 0 || i === specs.length - 1 ? { ...s, durationS: 600 } : s));
}

/** The backend file every scenario starts from. */
export function scenarioBackendBase(): Partial<BackendConfig> {
  return loadBackendFile(fileURLToPath(new URL('faults-backend.json', WORKLOADS_DIR)));
}

/** The specs of a scenario (baselines explicit, traffic scaled). Throws a `WorkloadError` for a bad file. */
export function scenarioSpecs(scenario: FaultScenario): LoadSpec[] {
  const raw =
    scenario.workload === 'cyber-monday-spike'
      ? cyberMondaySpike()
      : withBaselines(
          loadWorkloadFile(fileURLToPath(new URL(scenario.workload, WORKLOADS_DIR))),
          'spec',
        );
  if (scenario.scale === 1) return raw;
  return raw.map((s) => ({ ...s, rpm: Math.max(Math.trunc(s.rpm * scenario.scale), 1) }));
}
