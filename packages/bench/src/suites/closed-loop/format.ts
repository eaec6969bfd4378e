/**
 * Tables and JSON of closed-loop results: the reference run's two tables in
 * the published layout, the detail and summary tables of the sweeps, and a
 * result rounded for JSON.
 */
import type { RequestStats } from '../../sim/orchestrator/caller.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import { bestCompetitor, deltaRow } from '../shared/scoreboard.js';
import { fixed2, formatTable, round2, signed2 } from '../shared/tables.js';
import type { ClientModel } from './runner.js';

/**
 * The candidates table and the backend table in the published layout. When
 * fault windows were in force the backend table adds their count (Faulted),
 * and with retrying clients a third table shows what users saw.
 */
export function formatClosedLoopTables(results: readonly ClosedLoopResult[]): string {
  const candidates = formatTable(
    [
      'Candidate',
      'Blocked',
      'Allowed',
      'Successes',
      'Failures',
      'SuccessScore',
      'FailureScore',
      'Delta',
      'MaxConcurrency',
    ],
    results.map((r) => [
      r.candidate,
      String(r.blocked),
      String(r.allowed),
      String(r.successes),
      String(r.failures),
      fixed2(r.successScore),
      fixed2(r.failureScore),
      fixed2(r.delta),
      String(r.maxConcurrency),
    ]),
    [15, 10, 10, 10, 9, 12, 12, 10, 14],
  );
  const faulted = results.some((r) => r.backend.faulted !== undefined);
  const backend = formatTable(
    [
      'Backend',
      'Requests',
      'Successes',
      'Failures',
      'Shed',
      'QueueDrops',
      'Crashes',
      ...(faulted ? ['Faulted'] : []),
    ],
    results.map((r) => [
      r.candidate,
      ...[
        r.backend.requests,
        r.backend.successes,
        r.backend.failures,
        r.backend.shed,
        r.backend.queueDrops,
        r.backend.crashes,
        ...(faulted ? [r.backend.faulted ?? 0] : []),
      ].map(String),
    ]),
    [15, 10, 10, 10, 10, 10, 10],
  );
  const users = results.some((r) => r.requests !== undefined)
    ? `\n${formatRequestTable(results)}`
    : '';
  return `${candidates}\n${backend}${users}`;
}

/**
 * What users saw per candidate: requests, how many succeeded (one attempt
 * did) or failed, the success share, attempts per request, retries and
 * budget refusals. A run without retries counts each request once: a refused
 * request failed for its user.
 */
export function requestStats(r: ClosedLoopResult): RequestStats {
  return (
    r.requests ?? {
      requests: r.allowed + r.blocked,
      succeeded: r.successes,
      failed: r.failures + r.blocked,
      attempts: r.allowed + r.blocked,
      retries: 0,
      budgetRefused: 0,
    }
  );
}

/** Share `part / whole` as a percentage with two decimals (0 when whole is 0). */
export function percent(part: number, whole: number): string {
  return `${fixed2(whole === 0 ? 0 : (100 * part) / whole)} %`;
}

const REQUEST_HEADERS = [
  'Requests',
  'Succeeded',
  'Failed',
  'Success',
  'Attempts/req',
  'Retries',
  'BudgetRefused',
];

function requestCells(r: ClosedLoopResult): string[] {
  const u = requestStats(r);
  return [
    String(u.requests),
    String(u.succeeded),
    String(u.failed),
    percent(u.succeeded, u.requests),
    u.requests === 0 ? '0.000' : (u.attempts / u.requests).toFixed(3),
    String(u.retries),
    String(u.budgetRefused),
  ];
}

/** The per-request table (see `requestStats`). */
export function formatRequestTable(results: readonly ClosedLoopResult[]): string {
  return formatTable(
    ['Users', ...REQUEST_HEADERS],
    results.map((r) => [r.candidate, ...requestCells(r)]),
    [15],
  );
}

/** The per-request table of a sweep: one row per (configuration, candidate). */
export function formatRequestDetail(
  firstHeader: string,
  rows: ReadonlyArray<{ configuration: string; result: ClosedLoopResult }>,
): string {
  return formatTable(
    [firstHeader, 'Users', ...REQUEST_HEADERS],
    rows.map(({ configuration, result }) => [
      configuration,
      result.candidate,
      ...requestCells(result),
    ]),
    [],
    [1],
  );
}

/** The client model for a JSON `config` block (nothing when off). */
export function clientModelJson(model: ClientModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (model.retry !== undefined) out.retry = { ...model.retry };
  if (model.tickMs !== undefined) out.tickMs = model.tickMs;
  return out;
}

/** A closed-loop result with a fixed key order and scores rounded to two decimals. */
export function roundedResult(r: ClosedLoopResult): ClosedLoopResult {
  return {
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
      ...(r.backend.faulted === undefined ? {} : { faulted: r.backend.faulted }),
    },
    ...(r.requests === undefined ? {} : { requests: { ...r.requests } }),
  };
}

/** The detail table of closed-loop results, one row per (configuration, candidate). */
export function formatDetailTable(
  firstHeader: string,
  rows: ReadonlyArray<{ configuration: string; result: ClosedLoopResult }>,
): string {
  return formatTable(
    [
      firstHeader,
      'Candidate',
      'Blocked',
      'Allowed',
      'Successes',
      'Failures',
      'SuccessScore',
      'FailureScore',
      'Delta',
      'MaxConc',
      'Shed',
      'QueueDrops',
      'Crashes',
    ],
    rows.map(({ configuration, result: r }) => [
      configuration,
      r.candidate,
      String(r.blocked),
      String(r.allowed),
      String(r.successes),
      String(r.failures),
      fixed2(r.successScore),
      fixed2(r.failureScore),
      fixed2(r.delta),
      String(r.maxConcurrency),
      String(r.backend.shed),
      String(r.backend.queueDrops),
      String(r.backend.crashes),
    ]),
    [],
    [1],
  );
}

/** A sweep's summary table: one row per configuration, one Delta column per candidate, Levee's lead. */
export function formatSweepSummary(
  firstHeader: string,
  rows: ReadonlyArray<{
    configuration: string;
    results: readonly ClosedLoopResult[];
    extra?: string[];
  }>,
  extraHeaders: readonly string[] = [],
): string {
  const names = rows[0]?.results.map((r) => r.candidate) ?? [];
  const hasLevee = names.includes('Levee') && names.length > 1;
  const header = [firstHeader, ...names];
  if (hasLevee) header.push('Levee Lead', 'vs');
  const vsColumn = hasLevee ? header.length - 1 : -1;
  header.push(...extraHeaders);
  return formatTable(
    header,
    rows.map(({ configuration, results, extra }) => {
      const cells = [configuration, ...results.map((r) => fixed2(r.delta))];
      if (hasLevee) {
        const row = deltaRow('', '', results);
        const best = row === undefined ? undefined : bestCompetitor(row);
        if (row !== undefined && best !== undefined) {
          cells.push(signed2(row.levee - best.value), best.name);
        } else cells.push('', '');
      }
      cells.push(...(extra ?? []));
      return cells;
    }),
    [],
    [vsColumn],
  );
}
