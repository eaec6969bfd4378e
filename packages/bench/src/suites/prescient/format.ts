/**
 * Rendering of the open-loop suite's results: the table in the layout of the
 * published one (docs/BENCHMARKS.md §4.4: the Prescient estimate first, then the
 * candidates by ascending TotalPenalty), the JSON document, the scoreboard row
 * and the classified transition log.
 */
import type { ScoreboardRow } from '../shared/suite.js';
import { formatTable, round2 } from '../shared/tables.js';
import { type PrescientEstimate, prescientEstimate } from './estimate.js';
import { OracleTimeline, oracleThreshold } from './oracle.js';
import { PUBLISHED_PRESCIENT } from './published.js';
import type { PrescientCandidateResult } from './runner.js';

/** One line of the table. */
export interface PrescientRow {
  candidate: string;
  /** True for the oracle's estimate ("Prescient"), which is not a replay. */
  estimate: boolean;
  blocked: number;
  allowed: number;
  flap: number;
  falseAlarm: number;
  lateDetect: number;
  badTraffic: number;
  lostBusiness: number;
  totalPenalty: number;
}

/** What the report says about the run besides the results. */
export interface PrescientReportMeta {
  seed: number;
  /** Workload name (`cyber-monday` or the file given). */
  workload: string;
  specs: { first: number; last: number };
  /** The SLO of the oracle (and of Levee). */
  slo: { successRate: number; timeoutMs: number };
  /** Candidate registry keys, in the order run. */
  candidates: readonly string[];
  /** Whether this is the published configuration (published figures are then shown). */
  published: boolean;
  /** `--tick-ms` (docs/BENCHMARKS.md §9.3); absent: off. */
  tickMs?: number;
}

/**
 * Throws unless every result comes from the same stream and oracle (same
 * request count, oracle changes and run span), which the Prescient row and
 * any comparison rely on.
 */
export function checkSameStream(results: readonly PrescientCandidateResult[]): void {
  const first = results[0];
  if (first === undefined) return;
  const key = (r: PrescientCandidateResult): string =>
    JSON.stringify([r.requests, r.oracle.changes, r.oracle.startNs, r.oracle.endNs]);
  const want = key(first);
  for (const r of results) {
    if (key(r) !== want) {
      throw new Error(`${r.candidate} saw a different stream or oracle than ${first.candidate}`);
    }
  }
}

/** The oracle timeline of a run (any result of it). */
export function resultTimeline(result: PrescientCandidateResult): OracleTimeline {
  return new OracleTimeline(result.oracle.changes, result.oracle.endNs);
}

/** The Prescient estimate for the run behind `result`. */
export function estimateOf(result: PrescientCandidateResult): PrescientEstimate {
  return prescientEstimate(
    result.requests,
    resultTimeline(result).periods,
    result.oracle.endNs - result.oracle.startNs,
  );
}

/** The table rows: the Prescient estimate first, then the candidates by ascending TotalPenalty. */
export function prescientRows(results: readonly PrescientCandidateResult[]): PrescientRow[] {
  const rows: PrescientRow[] = [];
  const first = results[0];
  if (first !== undefined) {
    const est = estimateOf(first);
    rows.push({
      candidate: 'Prescient',
      estimate: true,
      blocked: est.blocked,
      allowed: est.allowed,
      flap: 0,
      falseAlarm: 0,
      lateDetect: 0,
      badTraffic: 0,
      lostBusiness: 0,
      totalPenalty: 0,
    });
  }
  const sorted = [...results].sort((a, b) => a.totalPenalty - b.totalPenalty);
  for (const r of sorted) {
    rows.push({
      candidate: r.candidate,
      estimate: false,
      blocked: r.blocked,
      allowed: r.allowed,
      flap: r.transitions.flapping,
      falseAlarm: r.transitions.falseAlarm,
      lateDetect: r.transitions.lateDetection,
      badTraffic: r.badTraffic,
      lostBusiness: r.lostBusiness,
      totalPenalty: r.totalPenalty,
    });
  }
  return rows;
}

/**
 * `x` rounded to a whole number like Go's `%.0f` (nearest, exact ties to
 * even), for the penalty columns.
 */
export function fixed0(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return String(r === 0 ? 0 : r);
}

const HEADER = [
  'Candidate',
  'Blocked',
  'Allowed',
  'Flap',
  'FalseAlarm',
  'LateDetect',
  'BadTraffic',
  'LostBusiness',
  'TotalPenalty',
] as const;
const MIN_WIDTHS = [15, 10, 10, 4, 10, 10, 12, 12, 12] as const;

/** The table in the published layout. */
export function formatPrescientTable(rows: readonly PrescientRow[]): string {
  return formatTable(
    HEADER,
    rows.map((r) => [
      r.candidate,
      String(r.blocked),
      String(r.allowed),
      String(r.flap),
      String(r.falseAlarm),
      String(r.lateDetect),
      fixed0(r.badTraffic),
      fixed0(r.lostBusiness),
      fixed0(r.totalPenalty),
    ]),
    MIN_WIDTHS,
  );
}

/** The published table (docs/BENCHMARKS.md §4.4), same layout. */
export function formatPublishedTable(): string {
  return formatPrescientTable(PUBLISHED_PRESCIENT.map((r) => ({ ...r, estimate: false })));
}

/** Published reference values for the scoreboard: Levee 15177, best competitor Static-Peak 30067. */
export const PRESCIENT_REFERENCE = {
  levee: 15177,
  best: 30067,
  bestName: 'Static-Peak',
} as const;

/** The scoreboard row (metric TotalPenalty, lower is better), or undefined without Levee. */
export function prescientScoreboardRow(
  results: readonly PrescientCandidateResult[],
  configuration: string,
  published: boolean,
): ScoreboardRow | undefined {
  const levee = results.find((r) => r.candidate === 'Levee');
  if (levee === undefined) return undefined;
  const row: ScoreboardRow = {
    suite: 'prescient',
    configuration,
    metric: 'TotalPenalty',
    higherIsBetter: false,
    levee: levee.totalPenalty,
    competitors: results
      .filter((r) => r !== levee)
      .map((r) => ({ name: r.candidate, value: r.totalPenalty })),
  };
  if (published) row.reference = { ...PRESCIENT_REFERENCE };
  return row;
}

/** Nanoseconds as seconds with three decimals, e.g. `14400.164`. */
function seconds3(ns: number): string {
  return (ns / 1e9).toFixed(3);
}

/** The JSON document of a run. Penalties rounded to two decimals, times in ns. */
export function prescientJson(
  meta: PrescientReportMeta,
  results: readonly PrescientCandidateResult[],
): object {
  const first = results[0];
  const timeline = first === undefined ? undefined : resultTimeline(first);
  return {
    suite: 'prescient',
    config: {
      seed: meta.seed,
      workload: meta.workload,
      specs: {
        first: meta.specs.first,
        last: meta.specs.last,
        count: meta.specs.last - meta.specs.first + 1,
      },
      slo: { successRate: meta.slo.successRate, timeoutMs: meta.slo.timeoutMs },
      oracleThreshold: oracleThreshold(meta.slo.successRate),
      buckets: {
        widthNs: 1e9,
        phaseNs: first?.bucketPhaseNs ?? 0,
        anchoring: 'stream origin: the first arrival is t = 0 (upstream: whole Unix seconds)',
      },
      candidates: [...meta.candidates],
      ...(meta.tickMs === undefined ? {} : { tickMs: meta.tickMs }),
    },
    oracle:
      first === undefined || timeline === undefined
        ? null
        : {
            requests: first.requests,
            startNs: first.oracle.startNs,
            endNs: first.oracle.endNs,
            changes: first.oracle.changes.map((c) => ({ tNs: c.tNs, open: c.open })),
            periods: timeline.periods.map((p) => ({ fromNs: p.fromNs, toNs: p.toNs })),
            openSeconds: round2(timeline.openNs() / 1e9),
          },
    rows: prescientRows(results).map((r) => ({
      ...r,
      badTraffic: round2(r.badTraffic),
      lostBusiness: round2(r.lostBusiness),
      totalPenalty: round2(r.totalPenalty),
    })),
    candidates: results.map((r) => ({
      candidate: r.candidate,
      requests: r.requests,
      blocked: r.blocked,
      allowed: r.allowed,
      successes: r.successes,
      failures: r.failures,
      badRequests: r.badRequests,
      lostRequests: r.lostRequests,
      badTraffic: round2(r.badTraffic),
      lostBusiness: round2(r.lostBusiness),
      totalPenalty: round2(r.totalPenalty),
      penaltiesByPhase: r.penaltiesByPhase.map((p) => ({
        bucketPhaseNs: p.bucketPhaseNs,
        badTraffic: round2(p.badTraffic),
        lostBusiness: round2(p.lostBusiness),
        totalPenalty: round2(p.totalPenalty),
      })),
      transitions: { ...r.transitions },
      rawTransitions: { ...r.rawTransitions },
      transitionLog: r.transitionLog.map((t) => ({
        tNs: t.tNs,
        to: t.to,
        oracleOpen: t.oracleOpen,
        category: t.category,
      })),
      transitionLogOmitted: r.transitionLogOmitted,
    })),
    published: meta.published ? PUBLISHED_PRESCIENT.map((r) => ({ ...r })) : null,
  };
}

/** The classified transitions of every candidate, one per line, in time order. */
export function formatTransitionLog(results: readonly PrescientCandidateResult[]): string {
  const lines: Array<{ t: number; text: string }> = [];
  for (const r of results) {
    for (const tr of r.transitionLog) {
      lines.push({
        t: tr.tNs,
        text: `${seconds3(tr.tNs).padStart(12)} s | ${r.candidate.padEnd(15)} | ${tr.to.padEnd(6)} | oracle ${tr.oracleOpen ? 'OPEN  ' : 'CLOSED'} | ${tr.category}`,
      });
    }
  }
  lines.sort((a, b) => a.t - b.t);
  const header = `${'time'.padStart(12)}   | ${'candidate'.padEnd(15)} | to     | oracle        | category`;
  return `${[header, ...lines.map((l) => l.text)].join('\n')}\n`;
}
