/** The live suite's printed tables and its JSON. */
import { formatTable } from '../shared/tables.js';
import type { LiveJob } from './config.js';
import type { LivePhaseResult, LiveRunResult } from './result.js';

/** A send lag p99 above this (ms) means the load generator fell behind its schedule. */
export const LAG_WARNING_MS = 10;

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const one = (x: number | null): string => (x === null ? '-' : x.toFixed(1));
const two = (x: number | null): string => (x === null ? '-' : x.toFixed(2));
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

function limitText(p: LivePhaseResult): string {
  if (p.limitMin === null || p.limitMax === null) return '-';
  return p.limitMin === p.limitMax ? int(p.limitMin) : `${int(p.limitMin)}-${int(p.limitMax)}`;
}

function swing(p: LivePhaseResult): string {
  if (p.goodputMinRps === null || p.goodputMaxRps === null) return '-';
  return `${int(p.goodputMinRps)}-${int(p.goodputMaxRps)}`;
}

/** Row label of a run: its governor, and the server when several were run. */
export function runLabel(r: LiveRunResult, severalServers: boolean): string {
  return severalServers ? `${r.name} (${r.server})` : r.name;
}

/** One table per phase, then a summary per run. */
export function formatLiveReport(job: LiveJob, results: readonly LiveRunResult[]): string {
  const several = new Set(results.map((r) => r.server)).size > 1;
  const s = job.service;
  const capacity = results[0]?.capacityRps ?? (s.slots * 1000) / s.serviceMs;
  const lines: string[] = [];
  lines.push(
    `Live benchmark on 127.0.0.1: service of ${s.slots} slots x ${s.serviceMs} ms = ${int(capacity)} req/s capacity; ` +
      `SLO ${job.slo.successRate} / ${int(job.slo.timeoutMs)} ms; clients give up after ${int(job.load.clientTimeoutMs)} ms; ` +
      `${int(job.load.connections)} connections; seed ${job.seed}. Real time: figures vary from run to run and machine to machine.`,
  );
  lines.push('');
  const phaseCount = results[0]?.phases.length ?? 0;
  for (let i = 0; i < phaseCount; i++) {
    const first = results[0]!.phases[i]!;
    const service = first.part === 'service';
    lines.push(
      `${first.name}: ${first.label}, ${int(first.offeredRps)} req/s for ${first.seconds} s ` +
        `(${int(first.offered)} Poisson arrivals, ${int(first.offered / first.seconds)}/s)` +
        (service ? '' : ', client calls to the dependency'),
    );
    const header = [
      'Governor',
      'goodput/s',
      'of capacity',
      'of offered',
      'per s',
      'p50 ms',
      'p99 ms',
      'shed',
      'failed',
      'health p99',
      'heap MB',
      'queue',
      'limit',
      'lag p99',
    ];
    if (results.some((r) => r.phases[i]?.recoveryS !== undefined)) {
      header.push('recovered');
    }
    const rows = results.map((r) => {
      const p = r.phases[i]!;
      const row = [
        runLabel(r, several),
        int(p.goodputRps),
        pct(p.ofCapacity),
        pct(p.ofOffered),
        swing(p),
        one(p.admittedP50Ms),
        one(p.admittedP99Ms),
        pct(p.shedShare),
        pct(p.failedShare),
        two(p.healthP99Ms),
        one(p.heapMaxMb),
        p.queueMax === null ? '-' : int(p.queueMax),
        limitText(p),
        two(p.sendLagP99Ms),
      ];
      if (header.length > row.length) {
        row.push(
          p.recoveryS === undefined ? '-' : p.recoveryS === null ? 'no' : `${p.recoveryS} s`,
        );
      }
      return row;
    });
    lines.push(formatTable(header, rows).trimEnd());
    lines.push('');
  }
  const summaryHeader = [
    'Run',
    'offered',
    'OK',
    'shed',
    'failed',
    'crashes',
    'load avg',
    'worst lag p99',
    'left open',
  ];
  const summaryRows = results.map((r) => {
    const t = r.totals;
    const worstLag = Math.max(0, ...r.phases.map((p) => p.sendLagP99Ms ?? 0));
    return [
      runLabel(r, several),
      int(t.offered),
      int(t.ok),
      pct(t.offered === 0 ? 0 : t.shed / t.offered),
      pct(t.offered === 0 ? 0 : (t.failed + t.timeout) / t.offered),
      String(r.crashes.length),
      `${r.loadAverage.start.toFixed(2)}-${r.loadAverage.end.toFixed(2)}`,
      `${worstLag.toFixed(2)} ms`,
      r.leftovers.length === 0 ? 'none' : String(r.leftovers.length),
    ];
  });
  lines.push('Runs');
  lines.push(formatTable(summaryHeader, summaryRows).trimEnd());
  lines.push('');
  lines.push(
    'goodput: OK (2xx within the SLO timeout) per second; per s: lowest-highest OK in a whole second of the phase;',
    'p50/p99: latency of the requests not shed, from their scheduled time (client timeouts count at the timeout);',
    "shed: 503 or refused by the governor; failed: other failures and client timeouts; queue: the service's FIFO",
    '(max); limit: inflight limit range sampled; lag p99: how late the load generator sent (its own delay);',
    'recovered: time from the phase start after which every quarter second had >= 90% OK.',
  );
  const behind = results.flatMap((r) =>
    r.phases
      .filter((p) => (p.sendLagP99Ms ?? 0) > LAG_WARNING_MS)
      .map((p) => `${runLabel(r, several)} in ${p.name} (${two(p.sendLagP99Ms)} ms)`),
  );
  if (behind.length > 0) {
    lines.push(
      '',
      `Warning: the load generator fell behind its schedule (send lag p99 > ${LAG_WARNING_MS} ms): ${behind.join(', ')}.`,
      'Latencies there include its own delay; rerun on a quieter machine or with a lower capacity (--service).',
    );
  }
  const leftovers = results.flatMap((r) => r.leftovers.map((l) => `${runLabel(r, several)}: ${l}`));
  if (leftovers.length > 0) lines.push('', `Left open at the end: ${leftovers.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

/** The suite's JSON document. */
export function liveJson(
  config: Record<string, unknown>,
  results: readonly LiveRunResult[],
): Record<string, unknown> {
  return { suite: 'live', config, results };
}
