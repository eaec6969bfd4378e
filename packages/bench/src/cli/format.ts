/**
 * Rendering of closed-loop results: the two plain-text tables in the layout of
 * the published reference run, and the JSON report.
 */
import type { CandidateResult, SloConfig, SpecRange } from './types.js';

/**
 * `x` with exactly two decimals, rounded like C/Go `%.2f`: the nearest
 * two-decimal value to the exact binary number, exact ties to even, and a
 * minus sign kept for negative values that round to zero.
 */
export function fixed2(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let text = abs.toFixed(2);
  // toFixed resolves an exact tie upwards. A double is an exact tie at the
  // third decimal only when its fraction is an odd number of eighths
  // (.125 .375 .625 .875); of those, .125 and .625 must go down to reach an
  // even last digit. (Multiplying by 8 is exact.)
  const eighths = abs * 8;
  if (abs < 1e15 && Number.isInteger(eighths)) {
    const frac = eighths % 8;
    if (frac === 1 || frac === 5) {
      text = `${Math.floor(abs)}.${frac === 1 ? '12' : '62'}`;
    }
  }
  return negative ? `-${text}` : text;
}

/** `x` rounded to two decimals as a number (via `fixed2`), for the JSON report. */
export function round2(x: number): number {
  const n = Number(fixed2(x));
  return n === 0 ? 0 : n;
}

const CANDIDATE_HEADER = [
  'Blocked',
  'Allowed',
  'Successes',
  'Failures',
  'SuccessScore',
  'FailureScore',
  'Delta',
  'MaxConcurrency',
] as const;
const CANDIDATE_WIDTHS = [10, 10, 10, 9, 12, 12, 10, 14] as const;

const BACKEND_HEADER = [
  'Requests',
  'Successes',
  'Failures',
  'Shed',
  'QueueDrops',
  'Crashes',
] as const;
const BACKEND_WIDTHS = [10, 10, 10, 10, 10, 10] as const;

const NAME_WIDTH = 15;

/** One table line: the name left-aligned, every other cell right-aligned, `" | "` between. */
function row(name: string, cells: readonly string[], widths: readonly number[]): string {
  const padded = cells.map((cell, i) => cell.padStart(widths[i] ?? 0));
  return [name.padEnd(NAME_WIDTH), ...padded].join(' | ');
}

/** `Candidate | Blocked | … | MaxConcurrency`, one row per result, in the order given. */
export function formatCandidatesTable(results: readonly CandidateResult[]): string {
  const lines = [row('Candidate', CANDIDATE_HEADER, CANDIDATE_WIDTHS)];
  for (const r of results) {
    lines.push(
      row(
        r.candidate,
        [
          String(r.blocked),
          String(r.allowed),
          String(r.successes),
          String(r.failures),
          fixed2(r.successScore),
          fixed2(r.failureScore),
          fixed2(r.delta),
          String(r.maxConcurrency),
        ],
        CANDIDATE_WIDTHS,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `Backend | Requests | … | Crashes`, one row per result, in the order given. */
export function formatBackendTable(results: readonly CandidateResult[]): string {
  const lines = [row('Backend', BACKEND_HEADER, BACKEND_WIDTHS)];
  for (const r of results) {
    const b = r.backend;
    lines.push(
      row(
        r.candidate,
        [b.requests, b.successes, b.failures, b.shed, b.queueDrops, b.crashes].map(String),
        BACKEND_WIDTHS,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Both tables, separated by a blank line, as printed on stdout. */
export function formatReport(results: readonly CandidateResult[]): string {
  return `${formatCandidatesTable(results)}\n${formatBackendTable(results)}`;
}

export interface ReportConfig {
  seed: number;
  specs: SpecRange;
  slo: SloConfig;
  /** Registry keys, in result order. */
  candidates: readonly string[];
}

export interface JsonReport {
  suite: 'closed-loop';
  config: {
    seed: number;
    specs: { first: number; last: number; count: number };
    slo: { successRate: number; timeoutMs: number };
    candidates: string[];
  };
  results: CandidateResult[];
}

/**
 * The JSON report as a plain object with a fixed key order and scores rounded
 * to two decimals. Nothing in it depends on the wall clock or the machine.
 */
export function buildJsonReport(
  config: ReportConfig,
  results: readonly CandidateResult[],
): JsonReport {
  return {
    suite: 'closed-loop',
    config: {
      seed: config.seed,
      specs: {
        first: config.specs.first,
        last: config.specs.last,
        count: config.specs.last - config.specs.first + 1,
      },
      slo: { successRate: config.slo.successRate, timeoutMs: config.slo.timeoutMs },
      candidates: [...config.candidates],
    },
    results: results.map((r) => ({
      candidate: r.candidate,
      blocked: r.blocked,
      allowed: r.allowed,
      successes: r.successes,
      failures: r.failures,
      successScore: round2(r.successScore),
      failureScore: round2(r.failureScore),
      delta: round2(r.delta),
      maxConcurrency: r.maxConcurrency,
      backend: {
        requests: r.backend.requests,
        successes: r.backend.successes,
        failures: r.backend.failures,
        shed: r.backend.shed,
        queueDrops: r.backend.queueDrops,
        crashes: r.backend.crashes,
      },
    })),
  };
}

/** The JSON report serialised with two-space indentation and a final newline. */
export function formatJsonReport(
  config: ReportConfig,
  results: readonly CandidateResult[],
): string {
  return `${JSON.stringify(buildJsonReport(config, results), null, 2)}\n`;
}
