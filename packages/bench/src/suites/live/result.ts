/**
 * A live run's result: the raw counts of the load generator, the server's
 * samples and the health probes, folded into per-phase figures and a
 * per-second table. Pure (no clock, no sockets), so it is tested on made-up
 * counts.
 */
import { capacityRps, type LiveJob } from './config.js';
import { governorDisplayName } from './governors.js';
import { FAILED, LATE, type LoadStats, OK, SHED, TIMEOUT } from './load-side.js';
import type { GovernorSeconds, ServerStats } from './server-side.js';
import { quantile } from './stats.js';
import { NS_PER_S, type TimelinePhase } from './timeline.js';

/** One health probe: when it was sent (ns after t0) and how long it took (ms; a probe given up counts at its deadline). */
export interface HealthProbe {
  tNs: number;
  ms: number;
}

export interface LivePhaseResult {
  name: string;
  label: string;
  part: 'service' | 'client';
  seconds: number;
  /** Scheduled rate, requests/s. */
  offeredRps: number;
  /** Requests scheduled in the phase and what became of them. */
  offered: number;
  ok: number;
  late: number;
  failed: number;
  timeout: number;
  shed: number;
  /** OK (2xx within the SLO timeout) per second. */
  goodputRps: number;
  /** Goodput ÷ the service's capacity (service phases; null for client phases). */
  ofCapacity: number | null;
  /** OK ÷ offered. */
  ofOffered: number;
  /** Lowest and highest OK per second over the phase's whole seconds (by completion; null if none). */
  goodputMinRps: number | null;
  goodputMaxRps: number | null;
  /** Latency of the requests not shed, from their scheduled time, ms. */
  admittedP50Ms: number | null;
  admittedP99Ms: number | null;
  shedShare: number;
  /** (failed + timeout) ÷ offered. */
  failedShare: number;
  healthP50Ms: number | null;
  healthP99Ms: number | null;
  heapMaxMb: number | null;
  queueMax: number | null;
  /** Inflight limit range sampled while one was enforced (null: none). */
  limitMin: number | null;
  limitMax: number | null;
  inflightMax: number | null;
  /** Share of the governor samples in each state (service phases: the server's governor; client phases: the client's). */
  stateShares: { closed: number; throttled: number; halfOpen: number; open: number };
  eldP99Ms: number | null;
  sendLagP99Ms: number | null;
  sendLagMaxMs: number | null;
  /** Event-loop utilisation of the load generator's thread. */
  generatorElu: number;
  /** Recovery phases: seconds until recovered for good (null: not within the phase). */
  recoveryS?: number | null;
}

/** Per-second columns, in `PER_SECOND_COLUMNS` order. */
export const PER_SECOND_COLUMNS = [
  't',
  'offered',
  'ok',
  'late',
  'failed',
  'timeout',
  'shed',
  'p50Ms',
  'p99Ms',
  'healthP99Ms',
  'heapMb',
  'queue',
  'limit',
  'inflight',
  'throttled',
  'halfOpen',
  'open',
  'down',
  'eldP99Ms',
  'lagP99Ms',
  'capacity',
] as const;

export interface LiveRunResult {
  governor: string;
  name: string;
  server: string;
  capacityRps: number;
  phases: LivePhaseResult[];
  totals: {
    offered: number;
    ok: number;
    late: number;
    failed: number;
    timeout: number;
    shed: number;
  };
  crashes: Array<{ startS: number; endS: number }>;
  /** One-minute load average of the machine at the start and the end of the run. */
  loadAverage: { start: number; end: number };
  /** Requests still outstanding when the load generator closed its sockets. */
  abandoned: number;
  /** Handles a thread still held after closing everything (none expected), and threads that had to be terminated. */
  leftovers: string[];
  perSecond: { columns: string[]; rows: number[][] };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const orNull = (x: number, round: (v: number) => number = r1): number | null =>
  Number.isFinite(x) ? round(x) : null;

function sum(values: readonly (number | undefined)[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i] ?? 0;
  return s;
}

function maxOf(values: readonly (number | undefined)[], from: number, to: number): number | null {
  let m: number | null = null;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== undefined && (m === null || v > m)) m = v;
  }
  return m;
}

function minOf(values: readonly (number | undefined)[], from: number, to: number): number | null {
  let m: number | null = null;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== undefined && (m === null || v < m)) m = v;
  }
  return m;
}

/** The seconds [from, to) a phase covers (partial seconds included). */
function secondsOf(phase: TimelinePhase): { from: number; to: number } {
  return {
    from: Math.floor(phase.startNs / NS_PER_S),
    to: Math.ceil(phase.endNs / NS_PER_S),
  };
}

/** The phase that contains time `tNs` (the last one after the end). */
function phaseAt(timeline: readonly TimelinePhase[], tNs: number): TimelinePhase | undefined {
  for (const p of timeline) if (tNs < p.endNs) return p;
  return timeline[timeline.length - 1];
}

function stateShares(g: GovernorSeconds, from: number, to: number) {
  const n = sum(g.samples, from, to);
  const share = (i: number): number => (n === 0 ? 0 : r3(sum(g.states[i]!, from, to) / n));
  return { closed: share(0), throttled: share(1), halfOpen: share(2), open: share(3) };
}

export interface AssembleArgs {
  job: LiveJob;
  timeline: readonly TimelinePhase[];
  load: LoadStats;
  server: ServerStats;
  health: readonly HealthProbe[];
  loadAverage: { start: number; end: number };
  leftovers: string[];
}

export function assembleResult(args: AssembleArgs): LiveRunResult {
  const { job, timeline, load, server } = args;
  const capacity = capacityRps(job.service);
  const phases = timeline.map((phase, i): LivePhaseResult => {
    const stats = load.phases[i]!;
    const [ok, late, failed, timeout, shed] = [OK, LATE, FAILED, TIMEOUT, SHED].map(
      (o) => stats.counts[o] ?? 0,
    ) as [number, number, number, number, number];
    const offered = ok + late + failed + timeout + shed;
    const seconds = (phase.endNs - phase.startNs) / NS_PER_S;
    const { from, to } = secondsOf(phase);
    // Whole seconds inside the phase, for the per-second goodput swing.
    const wholeFrom = Math.ceil(phase.startNs / NS_PER_S);
    const wholeTo = Math.floor(phase.endNs / NS_PER_S);
    const okPerSecond = load.seconds.counts[OK]!;
    const gov = phase.part === 'service' ? server.governor : load.governor;
    const probes = args.health.filter((h) => h.tNs >= phase.startNs && h.tNs < phase.endNs);
    const healthMs = probes.map((h) => h.ms);
    const lag = stats.lagMs;
    const out: LivePhaseResult = {
      name: phase.name,
      label: phase.label,
      part: phase.part,
      seconds,
      offeredRps: r1(phase.rate),
      offered,
      ok,
      late,
      failed,
      timeout,
      shed,
      goodputRps: r1(ok / seconds),
      ofCapacity: phase.part === 'service' ? r3(ok / seconds / capacity) : null,
      ofOffered: offered === 0 ? 0 : r3(ok / offered),
      goodputMinRps: wholeTo > wholeFrom ? minOf(okPerSecond, wholeFrom, wholeTo) : null,
      goodputMaxRps: wholeTo > wholeFrom ? maxOf(okPerSecond, wholeFrom, wholeTo) : null,
      admittedP50Ms: orNull(quantile(stats.admittedMs, 0.5)),
      admittedP99Ms: orNull(quantile(stats.admittedMs, 0.99)),
      shedShare: offered === 0 ? 0 : r3(shed / offered),
      failedShare: offered === 0 ? 0 : r3((failed + timeout) / offered),
      healthP50Ms: orNull(quantile(healthMs, 0.5), r2),
      healthP99Ms: orNull(quantile(healthMs, 0.99), r2),
      heapMaxMb: nullOr(maxOf(server.heapMb, from, to), r1),
      queueMax: maxOf(server.queue, from, to),
      limitMin: minOf(gov.limitMin, from, to),
      limitMax: maxOf(gov.limitMax, from, to),
      inflightMax: maxOf(gov.inflight, from, to),
      stateShares: stateShares(gov, from, to),
      eldP99Ms: nullOr(maxOf(server.eldP99Ms, from, to), r2),
      sendLagP99Ms: orNull(quantile(lag, 0.99), r2),
      sendLagMaxMs: orNull(lag.length === 0 ? Number.NaN : Math.max(...lag), r2),
      generatorElu: r3(stats.elu),
    };
    if (phase.recovery) out.recoveryS = stats.recoveryS;
    return out;
  });

  const totals = { offered: 0, ok: 0, late: 0, failed: 0, timeout: 0, shed: 0 };
  for (const p of phases) {
    totals.offered += p.offered;
    totals.ok += p.ok;
    totals.late += p.late;
    totals.failed += p.failed;
    totals.timeout += p.timeout;
    totals.shed += p.shed;
  }

  // Per-second rows.
  const rowsN = load.seconds.offered.length;
  const healthBySecond: number[][] = Array.from({ length: rowsN }, () => []);
  for (const h of args.health) {
    const s = Math.floor(h.tNs / NS_PER_S);
    if (s >= 0 && s < rowsN) healthBySecond[s]!.push(h.ms);
  }
  // Rows past the phases are kept while anything still completed in them (the drain).
  const endS = Math.ceil((timeline[timeline.length - 1]?.endNs ?? 0) / NS_PER_S);
  let lastRow = Math.min(rowsN, endS);
  for (let s = lastRow; s < rowsN; s++) {
    if (load.seconds.counts.some((c) => (c[s] ?? 0) > 0)) lastRow = s + 1;
  }
  const rows: number[][] = [];
  for (let s = 0; s < lastRow; s++) {
    const phase = phaseAt(timeline, s * NS_PER_S + NS_PER_S / 2);
    const service = phase?.part !== 'client';
    const gov = service ? server.governor : load.governor;
    const samples = gov.samples[s] ?? 0;
    const share = (i: number): number =>
      samples === 0 ? 0 : r3((gov.states[i]![s] ?? 0) / samples);
    const lat = load.seconds.admittedMs[s]!;
    const serverSamples = server.governor.samples[s] ?? 0;
    const row = [
      s,
      load.seconds.offered[s] ?? 0,
      load.seconds.counts[OK]![s] ?? 0,
      load.seconds.counts[LATE]![s] ?? 0,
      load.seconds.counts[FAILED]![s] ?? 0,
      load.seconds.counts[TIMEOUT]![s] ?? 0,
      load.seconds.counts[SHED]![s] ?? 0,
      orNull(quantile(lat, 0.5)) ?? 0,
      orNull(quantile(lat, 0.99)) ?? 0,
      orNull(quantile(healthBySecond[s]!, 0.99), r2) ?? 0,
      r1(server.heapMb[s] ?? 0),
      server.queue[s] ?? 0,
      gov.limit[s] ?? 0,
      gov.inflight[s] ?? 0,
      share(1),
      share(2),
      share(3),
      serverSamples === 0 ? 0 : r3((server.down[s] ?? 0) / serverSamples),
      r2(server.eldP99Ms[s] ?? 0),
      r2(load.seconds.lagP99Ms[s] ?? 0),
      service && phase !== undefined && s * NS_PER_S < phase.endNs ? capacity : 0,
    ];
    rows.push(row);
  }

  return {
    governor: job.governor,
    name: governorDisplayName(job.governor),
    server: job.flavour,
    capacityRps: capacity,
    phases,
    totals,
    crashes: server.crashes.map((c) => ({ startS: r2(c.startS), endS: r2(c.endS) })),
    loadAverage: { start: r2(args.loadAverage.start), end: r2(args.loadAverage.end) },
    abandoned: load.abandoned,
    leftovers: args.leftovers,
    perSecond: { columns: [...PER_SECOND_COLUMNS], rows },
  };
}

function nullOr(x: number | null, round: (v: number) => number): number | null {
  return x === null ? null : round(x);
}
