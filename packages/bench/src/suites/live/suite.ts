/**
 * `levee-bench live`: the one suite on real time and real sockets. A
 * `node:http` (or Express, or Fastify) service on 127.0.0.1 with a known
 * capacity, an open-loop load generator on undici, and a sequence of
 * phases; one job per server flavour and governor, run one at a time
 * (runner.ts). Everything else in the bench is simulated; this folder is
 * the only place that reads the wall clock.
 */
import { BENCH_SEED } from '../../sim/workload/cyber-monday.js';
import type { Job, Suite, SuiteOption, SuiteOptions } from '../shared/suite.js';
import {
  capacityRps,
  DEFAULT_LOAD,
  DEFAULT_SERVICE,
  DEFAULT_SLO,
  type Flavour,
  type LiveJob,
  LOAD_KEYS,
  type LoadConfig,
  PHASE_NAMES,
  type PhaseSpec,
  parseFlavours,
  parseLoad,
  parsePhaseSeconds,
  parsePhases,
  parseService,
  phaseDef,
  SERVICE_KEYS,
  type ServiceConfig,
} from './config.js';
import { runBudgetMs } from './control.js';
import { formatLiveReport, liveJson } from './format.js';
import {
  DEFAULT_GOVERNORS,
  governorDisplayName,
  governorsForCandidates,
  parseGovernors,
} from './governors.js';
import type { LiveRunResult } from './result.js';
import { liveRunner } from './runner.js';

/** The live suite's own options. */
export interface LiveOptions {
  governors: string[];
  servers: Flavour[];
  phases: string[];
  phaseSeconds: number;
  service: Partial<ServiceConfig>;
  load: Partial<LoadConfig>;
}

export const LIVE_RUNNER = 'live';

export const LIVE_OPTIONS: readonly SuiteOption<LiveOptions>[] = Object.freeze([
  {
    flag: 'governors',
    value: 'LIST',
    help: `Comma-separated governors, run and printed in this order: none, oracle (a static inflight limit at the service's worker slots), levee (its real integrations), levee-oob (the registry's Levee, out of band), any candidate of the registry, or the groups limiters, libraries, peers. Default: ${DEFAULT_GOVERNORS.join(',')}.`,
    field: 'governors',
    parse: (value: string): string[] => parseGovernors(value),
  },
  {
    flag: 'servers',
    value: 'LIST',
    help: 'Server flavours to run every governor on: http (node:http), express, fastify. Default: http.',
    field: 'servers',
    parse: (value: string): Flavour[] => parseFlavours(value),
  },
  {
    flag: 'phases',
    value: 'LIST',
    help: `Phases in run order, from ${PHASE_NAMES.join(', ')} (default: all of them, in this order).`,
    field: 'phases',
    parse: (value: string): string[] => parsePhases(value),
  },
  {
    flag: 'phase-seconds',
    value: 'S',
    help: 'Duration of every phase, seconds (0.5 to 60). Default: 3 s per phase, 4 s for the recovery phases (recover, healed, dep-healed), 2 s for the client phases before dep-healed.',
    field: 'phaseSeconds',
    parse: (value: string): number => parsePhaseSeconds(value),
  },
  {
    flag: 'service',
    value: 'LIST',
    help: `The service, as key=value pairs: ${SERVICE_KEYS.join(', ')}. Default: slots=${DEFAULT_SERVICE.slots}, service-ms=${DEFAULT_SERVICE.serviceMs}, queue=0 (unbounded), error-share=${DEFAULT_SERVICE.errorShare}, dep-timeout-ms=${DEFAULT_SERVICE.depTimeoutMs}, crash-queue=0 (never crash; N: crash when the queue holds N requests for crash-after-ms=${DEFAULT_SERVICE.crashAfterMs}, down for crash-down-ms=${DEFAULT_SERVICE.crashDownMs}).`,
    field: 'service',
    parse: (value: string): Partial<ServiceConfig> => parseService(value),
  },
  {
    flag: 'load',
    value: 'LIST',
    help: `The load generator, as key=value pairs: ${LOAD_KEYS.join(', ')}. Default: connections=${DEFAULT_LOAD.connections}, client-rps=${DEFAULT_LOAD.clientRps}, dep-service-ms=${DEFAULT_LOAD.depServiceMs}, client-timeout-ms=twice the SLO timeout, health-every-ms=${DEFAULT_LOAD.healthEveryMs}, warmup-ms=${DEFAULT_LOAD.warmupMs}.`,
    field: 'load',
    parse: (value: string): Partial<LoadConfig> => parseLoad(value),
  },
]);

type LiveSuiteOptions = SuiteOptions & Partial<LiveOptions>;

export interface LivePlan {
  /** The shared configuration of every job (the first job's, without flavour and governor). */
  base: Omit<LiveJob, 'flavour' | 'governor'>;
  servers: Flavour[];
  governors: string[];
}

function governorsOf(options: LiveSuiteOptions): string[] {
  if (options.governors !== undefined && options.candidates !== undefined) {
    throw new Error('give either --governors or --candidates, not both');
  }
  if (options.governors !== undefined) return [...options.governors];
  if (options.candidates !== undefined) return governorsForCandidates(options.candidates);
  return [...DEFAULT_GOVERNORS];
}

function phasesOf(options: LiveSuiteOptions): PhaseSpec[] {
  const names = options.phases ?? PHASE_NAMES;
  return names.map((name) => ({
    name,
    seconds: options.phaseSeconds ?? phaseDef(name).seconds,
  }));
}

/** The plan: every option resolved, checked for combinations that cannot run. */
export function livePlan(options: LiveSuiteOptions): LivePlan {
  const slo = {
    successRate: options.sloRate ?? DEFAULT_SLO.successRate,
    timeoutMs: options.sloTimeoutMs ?? DEFAULT_SLO.timeoutMs,
  };
  const service: ServiceConfig = { ...DEFAULT_SERVICE, ...options.service };
  const load: LoadConfig = {
    ...DEFAULT_LOAD,
    clientTimeoutMs: 2 * slo.timeoutMs,
    ...options.load,
  };
  if (load.clientTimeoutMs > 60_000) {
    throw new Error(
      `the client timeout would be ${load.clientTimeoutMs} ms (twice --timeout-ms); give --load client-timeout-ms=N of at most 60000`,
    );
  }
  const phases = phasesOf(options);
  const peak = Math.max(
    ...phases.map((p) => {
      const def = phaseDef(p.name);
      return def.load * (def.part === 'service' ? capacityRps(service) : load.clientRps);
    }),
  );
  // One generator thread sends every request; past this it is certain to fall behind.
  if (peak > 50_000) {
    throw new Error(
      `the busiest phase would offer ${Math.round(peak)} requests/s; the load generator cannot send more than about 50000/s: lower the capacity (--service slots=…,service-ms=…)`,
    );
  }
  return {
    base: { phases, service, load, slo, seed: options.seed },
    servers: options.servers ?? ['http'],
    governors: governorsOf(options),
  };
}

export const liveSuite: Suite<LiveJob, LiveRunResult, LivePlan, LiveOptions> = {
  name: 'live',
  standalone: true,
  summary:
    'real sockets on 127.0.0.1: a service of known capacity under open-loop load (real time)',
  description: `The one suite on real time. A node:http service on 127.0.0.1 (or Express,
or Fastify: --servers) with a known capacity: worker slots x service time
(default 20 x 80 ms = 250 requests/s), a FIFO queue, a dependency that
the phases make fail or hang, optionally a crash on sustained overload. An
open-loop load generator on undici (its own worker thread) schedules
Poisson arrivals at fixed times and measures latency from the scheduled
time. Default phases (about 40 s per run): calm at 0.5x capacity, 2x, 4x,
8x overload, recovery, dependency errors (20 %), a dependency hang, healed;
then the client part: the governor wraps a client's calls (100/s) to a
dependency that returns 500s, hangs, refuses connections and heals.
Governors: none; oracle, a static inflight limit at the known capacity (the
worker slots); levee through its real integrations (@leveejs/levee/http,
/express, /fastify inbound, /fetch outbound); any candidate of the registry
out of band (start/success/fail on process.hrtime nanoseconds), e.g. aimd.
Per run and phase: goodput (OK within the SLO) against capacity, admitted
p50/p99, share shed, health-endpoint latency, server heap, inflight limit,
the load generator's send lag, and the recovery time after healing; per
second the same as a table in the JSON and charts in --report. Runs go one
at a time (about 3 minutes for the default four governors) and stop by
themselves: every phase, run and thread has a deadline, sockets are closed
at the end. Results are NOT reproducible to the digit: they depend on the
machine and on what else it runs (the load average is printed), though the
arrival times and the dependency's errors are seeded (--seed). So the notes
below on identical JSON files do not hold here, and --timeout-ms also sets the
clients' timeout (twice the SLO timeout unless --load client-timeout-ms).`,
  options: ['candidates', 'seed', 'slo', 'timeout-ms', 'json', 'out', ...LIVE_OPTIONS],
  defaultCandidates: ['levee', 'aimd'],
  defaults: {
    seed: String(BENCH_SEED),
    slo: String(DEFAULT_SLO.successRate),
    'timeout-ms': String(DEFAULT_SLO.timeoutMs),
  },

  runners: { [LIVE_RUNNER]: liveRunner },

  plan: livePlan,

  jobs(plan) {
    return plan.servers.flatMap((flavour) =>
      plan.governors.map((governor): Job<LiveJob> => {
        const params: LiveJob = { flavour, governor, ...plan.base };
        return {
          runner: LIVE_RUNNER,
          params,
          label: `live / ${flavour} / ${governorDisplayName(governor)}`,
          // Equal costs keep the jobs in order; the value is the run's budget in seconds.
          cost: Math.round(runBudgetMs(params) / 1000),
        };
      }),
    );
  },

  reduce(plan, results) {
    const job: LiveJob = { flavour: plan.servers[0]!, governor: plan.governors[0]!, ...plan.base };
    const config = {
      servers: plan.servers,
      governors: plan.governors,
      phases: plan.base.phases.map((p) => ({ ...p, label: phaseDef(p.name).label })),
      service: plan.base.service,
      capacityRps: capacityRps(plan.base.service),
      load: plan.base.load,
      slo: plan.base.slo,
      seed: plan.base.seed,
      reproducible: false,
    };
    return {
      text: formatLiveReport(job, results),
      json: liveJson(config, results),
      scoreboard: [],
    };
  },
};
