/** The cooperation suite's two tables: per candidate type, then the shared backend. */
import type { CooperationResult } from '../../sim/orchestrator/cooperation.js';
import { formatRequestTable } from '../closed-loop/format.js';
import { fixed2, formatTable } from '../shared/tables.js';

export function formatCooperationTables(results: readonly CooperationResult[]): string {
  const main = formatTable(
    [
      'CB Type',
      'Inst',
      'Blocked',
      'Allowed',
      'Successes',
      'Failures',
      'SuccessScore',
      'FailureScore',
      'Delta',
      'MaxConc',
      'Crashes',
    ],
    results.map((r) => [
      r.candidate,
      String(r.instances),
      String(r.blocked),
      String(r.allowed),
      String(r.successes),
      String(r.failures),
      fixed2(r.successScore),
      fixed2(r.failureScore),
      fixed2(r.delta),
      String(r.maxConcurrency),
      String(r.backend.crashes),
    ]),
    [11],
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
    [11],
  );
  // With retrying clients: what users saw (docs/BENCHMARKS.md §9.2).
  const users = results.some((r) => r.requests !== undefined)
    ? `\n${formatRequestTable(results)}`
    : '';
  return `${main}\n${backend}${users}`;
}
