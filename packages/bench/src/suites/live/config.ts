/**
 * The live benchmark's configuration: the phase catalogue, the service and
 * load-generator parameters with their defaults, the governors, and the
 * parsers of the suite's own options. Plain data only: a `LiveJob` travels
 * to worker threads.
 *
 * Why these defaults (all configurable):
 * - The service: 20 worker slots × 80 ms = 250 requests/s (Little's law:
 *   capacity = slots ÷ service time). Modest on purpose: at 8× overload the
 *   load generator sends 2,000 requests/s and the service answers them,
 *   which leaves headroom on a shared two-core machine where one Node
 *   thread manages a few thousand loopback requests per second at best
 *   (measured: 600 to 4,100 a second depending on what else ran). Every run
 *   reports its send lag, so a saturated generator shows.
 * - Calm load is 0.5× capacity: a service normally runs well below
 *   saturation, and at exactly 1× an M/D/c queue has no steady state.
 * - The client gives up after twice the SLO timeout, so latencies above the
 *   SLO are measured (up to that bound) instead of being cut off at it.
 * - 1,024 connections: more than any governor admits at once (Levee's
 *   inflight limit has been seen at 256–724 in this setup), few enough to
 *   stay far from the file-descriptor limit (two descriptors per connection
 *   on loopback).
 */
import { OptionValueError } from '../shared/suite.js';

/** Server flavours: plain `node:http`, Express 5, Fastify 5. */
export const FLAVOURS = ['http', 'express', 'fastify'] as const;
export type Flavour = (typeof FLAVOURS)[number];

/**
 * What the dependency does in a phase. `errors`: the service's dependency
 * fails a share of calls (the service answers 500); the client part's
 * dependency answers 500 to every call. `hang`: the service's dependency
 * holds each call for `depTimeoutMs`, then the service answers 504; the
 * client part's dependency never answers (the client's deadline ends the
 * call). `refused`: the dependency is down (connections refused).
 */
export type DependencyMode = 'ok' | 'errors' | 'hang' | 'refused';

/** Which traffic a phase carries: requests to the governed service, or governed client calls to a dependency. */
export type PhasePart = 'service' | 'client';

export interface PhaseDef {
  /** Name on the command line and in the tables. */
  readonly name: string;
  /** Short description for tables and the report's phase marks. */
  readonly label: string;
  readonly part: PhasePart;
  /** Offered load: × the service's capacity (service part) or × `clientRps` (client part). */
  readonly load: number;
  readonly mode: DependencyMode;
  /** Default duration, seconds. */
  readonly seconds: number;
  /** Recovery is measured from the phase start (it follows an overload or a failure). */
  readonly recovery: boolean;
}

/**
 * The phases, in their default order. Service phases first (overload, then
 * a failing dependency behind the service), then the client part (the
 * governor wraps the client's calls to a dependency that fails, hangs, goes
 * away and heals). Recovery phases are a second longer: recovery is what
 * they measure.
 */
export const PHASES: readonly PhaseDef[] = Object.freeze([
  {
    name: 'calm',
    label: 'calm 0.5x',
    part: 'service',
    load: 0.5,
    mode: 'ok',
    seconds: 3,
    recovery: false,
  },
  {
    name: '2x',
    label: '2x overload',
    part: 'service',
    load: 2,
    mode: 'ok',
    seconds: 3,
    recovery: false,
  },
  {
    name: '4x',
    label: '4x overload',
    part: 'service',
    load: 4,
    mode: 'ok',
    seconds: 3,
    recovery: false,
  },
  {
    name: '8x',
    label: '8x overload',
    part: 'service',
    load: 8,
    mode: 'ok',
    seconds: 3,
    recovery: false,
  },
  {
    name: 'recover',
    label: 'recovery 0.5x',
    part: 'service',
    load: 0.5,
    mode: 'ok',
    seconds: 4,
    recovery: true,
  },
  {
    name: 'errors',
    label: 'dependency errors',
    part: 'service',
    load: 0.5,
    mode: 'errors',
    seconds: 3,
    recovery: false,
  },
  {
    name: 'hang',
    label: 'dependency hang',
    part: 'service',
    load: 0.5,
    mode: 'hang',
    seconds: 3,
    recovery: false,
  },
  {
    name: 'healed',
    label: 'dependency healed',
    part: 'service',
    load: 0.5,
    mode: 'ok',
    seconds: 4,
    recovery: true,
  },
  {
    name: 'dep-ok',
    label: 'client: dependency ok',
    part: 'client',
    load: 1,
    mode: 'ok',
    seconds: 2,
    recovery: false,
  },
  {
    name: 'dep-500',
    label: 'client: 500s',
    part: 'client',
    load: 1,
    mode: 'errors',
    seconds: 2,
    recovery: false,
  },
  {
    name: 'dep-hang',
    label: 'client: hang',
    part: 'client',
    load: 1,
    mode: 'hang',
    seconds: 2,
    recovery: false,
  },
  {
    name: 'dep-refused',
    label: 'client: refused',
    part: 'client',
    load: 1,
    mode: 'refused',
    seconds: 2,
    recovery: false,
  },
  {
    name: 'dep-healed',
    label: 'client: healed',
    part: 'client',
    load: 1,
    mode: 'ok',
    seconds: 4,
    recovery: true,
  },
] satisfies PhaseDef[]);

export const PHASE_NAMES: readonly string[] = PHASES.map((p) => p.name);

/** The catalogue entry named `name`. */
export function phaseDef(name: string): PhaseDef {
  const def = PHASES.find((p) => p.name === name);
  if (def === undefined) throw new Error(`unknown live phase "${name}"`);
  return def;
}

/** A phase of a run: its catalogue name and duration. */
export interface PhaseSpec {
  name: string;
  seconds: number;
}

/** The governed service (and the shape of the client part's dependency). */
export interface ServiceConfig {
  /** Worker slots (concurrent requests in service). */
  slots: number;
  /** Service time per request, ms (a timer: the slot is held, the CPU is not). */
  serviceMs: number;
  /** FIFO queue bound in front of the slots (0: unbounded); a full queue answers 503. */
  queueLimit: number;
  /** Share of dependency calls that fail in the `errors` phase. */
  errorShare: number;
  /** The service's dependency timeout in the `hang` phase, ms (slot held this long, then 504). */
  depTimeoutMs: number;
  /** Crash when the queue holds at least this many requests for `crashAfterMs` (0: never crash). */
  crashQueue: number;
  crashAfterMs: number;
  /** Time down after a crash, ms (then it restarts with a fresh governor, as a new process would). */
  crashDownMs: number;
}

export const DEFAULT_SERVICE: Readonly<ServiceConfig> = Object.freeze({
  slots: 20,
  serviceMs: 80,
  queueLimit: 0,
  errorShare: 0.2,
  depTimeoutMs: 1000,
  crashQueue: 0,
  crashAfterMs: 2000,
  crashDownMs: 3000,
});

/** The load generator and the client part. */
export interface LoadConfig {
  /** Connections to the service (undici Pool); requests beyond them wait in the client (and that wait counts). */
  connections: number;
  /** Client calls per second in the client phases (× the phase's load). */
  clientRps: number;
  /** The dependency's service time in the client part, ms. */
  depServiceMs: number;
  /** The service's clients give up after this long, ms (default: twice the SLO timeout). */
  clientTimeoutMs: number;
  /** Health probes: one every this many ms. */
  healthEveryMs: number;
  /** Unrecorded warm-up at calm load before the first phase, ms. */
  warmupMs: number;
}

export const DEFAULT_LOAD: Readonly<Omit<LoadConfig, 'clientTimeoutMs'>> = Object.freeze({
  connections: 1024,
  clientRps: 100,
  depServiceMs: 5,
  healthEveryMs: 100,
  warmupMs: 1000,
});

/** The SLO given to Levee (and to the registry candidates that take one). */
export interface LiveSlo {
  successRate: number;
  timeoutMs: number;
}

export const DEFAULT_SLO: Readonly<LiveSlo> = Object.freeze({ successRate: 0.99, timeoutMs: 1000 });

/** One run: one governor on one server flavour through every phase. Plain data. */
export interface LiveJob {
  flavour: Flavour;
  /** Governor name (see `governorNames`). */
  governor: string;
  phases: PhaseSpec[];
  service: ServiceConfig;
  load: LoadConfig;
  slo: LiveSlo;
  seed: number;
}

/** Nominal capacity of the service, requests/s: slots ÷ service time. */
export function capacityRps(service: Pick<ServiceConfig, 'slots' | 'serviceMs'>): number {
  return (service.slots * 1000) / service.serviceMs;
}

/** Seconds of the phases together. */
export function phasesSeconds(phases: readonly PhaseSpec[]): number {
  return phases.reduce((s, p) => s + p.seconds, 0);
}

// ---------------------------------------------------------------- parsers

/** `--phases`: phase names in run order (each at most once). */
export function parsePhases(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new OptionValueError(value, 'empty phase name; use a comma-separated list');
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (!PHASE_NAMES.includes(n)) {
      throw new OptionValueError(n, `unknown phase; known: ${PHASE_NAMES.join(', ')}`);
    }
    if (seen.has(n)) throw new OptionValueError(n, 'phase listed twice');
    seen.add(n);
  }
  return names;
}

/** Bounds of `--phase-seconds` (each phase must hold a few samples; a run must stay short). */
export const PHASE_SECONDS_RANGE = { min: 0.5, max: 60 } as const;

/** `--phase-seconds`: one duration for every phase. */
export function parsePhaseSeconds(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new OptionValueError(value, 'expected seconds such as 3 or 1.5');
  }
  if (n < PHASE_SECONDS_RANGE.min || n > PHASE_SECONDS_RANGE.max) {
    throw new OptionValueError(
      value,
      `must be between ${PHASE_SECONDS_RANGE.min} and ${PHASE_SECONDS_RANGE.max}`,
    );
  }
  return n;
}

interface NumberField<T> {
  key: string;
  field: keyof T & string;
  min: number;
  max: number;
  integer: boolean;
}

const SERVICE_FIELDS: readonly NumberField<ServiceConfig>[] = [
  { key: 'slots', field: 'slots', min: 1, max: 1000, integer: true },
  { key: 'service-ms', field: 'serviceMs', min: 1, max: 10_000, integer: false },
  { key: 'queue', field: 'queueLimit', min: 0, max: 1_000_000, integer: true },
  { key: 'error-share', field: 'errorShare', min: 0, max: 1, integer: false },
  { key: 'dep-timeout-ms', field: 'depTimeoutMs', min: 1, max: 60_000, integer: false },
  { key: 'crash-queue', field: 'crashQueue', min: 0, max: 1_000_000, integer: true },
  { key: 'crash-after-ms', field: 'crashAfterMs', min: 100, max: 600_000, integer: false },
  { key: 'crash-down-ms', field: 'crashDownMs', min: 100, max: 600_000, integer: false },
];

const LOAD_FIELDS: readonly NumberField<LoadConfig>[] = [
  { key: 'connections', field: 'connections', min: 1, max: 4096, integer: true },
  { key: 'client-rps', field: 'clientRps', min: 1, max: 20_000, integer: false },
  { key: 'dep-service-ms', field: 'depServiceMs', min: 0, max: 10_000, integer: false },
  { key: 'client-timeout-ms', field: 'clientTimeoutMs', min: 10, max: 60_000, integer: false },
  { key: 'health-every-ms', field: 'healthEveryMs', min: 10, max: 10_000, integer: false },
  { key: 'warmup-ms', field: 'warmupMs', min: 0, max: 60_000, integer: false },
];

/** `key=value,…` pairs for `fields`, each checked against its bounds. */
function parsePairs<T>(value: string, fields: readonly NumberField<T>[]): Partial<T> {
  const out: Partial<T> = {};
  const seen = new Set<string>();
  for (const part of value.split(',').map((s) => s.trim())) {
    if (part === '') throw new OptionValueError(value, 'empty entry; use key=value,key=value');
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq).trim();
    const f = fields.find((x) => x.key === key);
    if (f === undefined) {
      throw new OptionValueError(
        part,
        `unknown key; known: ${fields.map((x) => x.key).join(', ')}`,
      );
    }
    if (eq < 0) throw new OptionValueError(part, `expected ${key}=VALUE`);
    if (seen.has(key)) throw new OptionValueError(part, `${key} given twice`);
    seen.add(key);
    const text = part.slice(eq + 1).trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) throw new OptionValueError(part, 'expected a number');
    if (f.integer && !Number.isInteger(n)) throw new OptionValueError(part, 'expected an integer');
    if (n < f.min || n > f.max) {
      throw new OptionValueError(part, `${key} must be between ${f.min} and ${f.max}`);
    }
    (out as Record<string, number>)[f.field] = n;
  }
  return out;
}

/** `--service`: overrides of the service parameters. */
export function parseService(value: string): Partial<ServiceConfig> {
  return parsePairs(value, SERVICE_FIELDS);
}

/** `--load`: overrides of the load-generator parameters. */
export function parseLoad(value: string): Partial<LoadConfig> {
  return parsePairs(value, LOAD_FIELDS);
}

/** The keys `--service` and `--load` accept, for the help. */
export const SERVICE_KEYS = SERVICE_FIELDS.map((f) => f.key);
export const LOAD_KEYS = LOAD_FIELDS.map((f) => f.key);

/** `--servers`: flavours in run order. */
export function parseFlavours(value: string): Flavour[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new OptionValueError(value, 'empty server name; use a comma-separated list');
  }
  const seen = new Set<string>();
  return names.map((n) => {
    if (!(FLAVOURS as readonly string[]).includes(n)) {
      throw new OptionValueError(n, `unknown server; known: ${FLAVOURS.join(', ')}`);
    }
    if (seen.has(n)) throw new OptionValueError(n, 'server listed twice');
    seen.add(n);
    return n as Flavour;
  });
}
