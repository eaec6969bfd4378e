/**
 * Building blocks shared by the closed-loop suites: the workload and backend a
 * job simulates, the closed-loop and cooperation runners' parameters, result
 * rounding for JSON, plain-text tables and scoreboard rows.
 */

import { createCandidate, getCandidate, usesSlo } from '../candidates/registry.js';
import type { BackendConfig } from '../sim/backend/backend-config.js';
import { canonicalBackendConfig } from '../sim/backend/backend-file.js';
import { slotsByLittlesLaw } from '../sim/backend/latency-generator.js';
import { type ClosedLoopResult, runClosedLoop } from '../sim/orchestrator/closed-loop.js';
import { type CooperationResult, runCooperation } from '../sim/orchestrator/cooperation.js';
import { withBaselines } from '../sim/workload/baseline.js';
import { BENCH_SEED, TIMEOUT_MS } from '../sim/workload/cyber-monday.js';
import { expectedRequests, type LoadSpec } from '../sim/workload/load-spec.js';
import type { Job, ProgressListener, ScoreboardRow, SuiteOptions } from './suite.js';

/** The breaker SLO handed to candidates that take one (Levee). */
export interface SloConfig {
  successRate: number;
  timeoutMs: number;
}

/** Parameters of one closed-loop simulation (runner `closed-loop`). */
export interface ClosedLoopParams {
  /** Registry key. */
  candidate: string;
  seed: number;
  /** The specs simulated, every `baselineErrorRate` explicit. */
  specs: LoadSpec[];
  /** The full backend configuration (numeric `slotsPerReplica`). */
  backend: BackendConfig;
  /** The breaker SLO; left out for candidates that ignore it. */
  slo?: SloConfig;
}

/** Parameters of one cooperation simulation (runner `cooperation`). */
export interface CooperationParams extends ClosedLoopParams {
  instances: number;
}

/** SLO used to build candidates that ignore it. */
const UNUSED_SLO: SloConfig = { successRate: 0.9, timeoutMs: TIMEOUT_MS };

export function runClosedLoopJob(
  params: ClosedLoopParams,
  onProgress: ProgressListener,
): ClosedLoopResult {
  const slo = params.slo ?? UNUSED_SLO;
  return runClosedLoop({
    specs: params.specs,
    seed: params.seed,
    backend: params.backend,
    candidate: () => createCandidate(params.candidate, { slo }),
    onProgress,
  });
}

export function runCooperationJob(
  params: CooperationParams,
  onProgress: ProgressListener,
): CooperationResult {
  const slo = params.slo ?? UNUSED_SLO;
  return runCooperation({
    specs: params.specs,
    seed: params.seed,
    instances: params.instances,
    backend: params.backend,
    candidate: () => createCandidate(params.candidate, { slo }),
    onProgress,
  });
}

/** A load variation: RPM → max(trunc(RPM × rpm), 1), ErrorRate → min(ErrorRate × error, 0.95). */
export interface Variation {
  rpm: number;
  error: number;
}

export function applyVariation(spec: LoadSpec, v: Variation): LoadSpec {
  return {
    ...spec,
    rpm: Math.max(Math.trunc(spec.rpm * v.rpm), 1),
    errorRate: Math.min(spec.errorRate * v.error, 0.95),
  };
}

/**
 * The specs a job simulates: the whole workload (varied, if asked), baseline
 * error rates resolved by the workload's rule (the schedule for the built-in
 * workload, the per-spec rule for a file; src/sim/workload/baseline.ts), then the
 * `--specs` slice.
 */
export function jobSpecs(options: SuiteOptions, variation?: Variation): LoadSpec[] {
  const raw = options.workload.specs;
  const varied = variation === undefined ? raw : raw.map((s) => applyVariation(s, variation));
  const resolved = withBaselines(varied, options.workload.builtin ? 'schedule' : 'spec');
  return resolved.slice(options.specs.first, options.specs.last + 1);
}

/**
 * The full backend configuration of a job: `--backend` overrides on the
 * reference values, with `extra` on top. Worker slots derived by Little's law
 * come from the first spec of the whole workload, so a `--specs` slice keeps
 * the capacity of the full run.
 */
export function jobBackend(
  options: SuiteOptions,
  extra: Partial<BackendConfig> = {},
): BackendConfig {
  const config = canonicalBackendConfig({ ...options.backend, ...extra });
  if (config.slotsPerReplica === 'littles-law') {
    config.slotsPerReplica = slotsByLittlesLaw(options.workload.specs, config.throughputPerReplica);
  }
  return config;
}

/** The closed-loop job for `candidate`; the SLO is kept only for candidates that use it. */
export function closedLoopJob(
  candidate: string,
  seed: number,
  specs: LoadSpec[],
  backend: BackendConfig,
  slo: SloConfig,
  label: string,
): Job<ClosedLoopParams> {
  const params: ClosedLoopParams = { candidate, seed, specs, backend };
  if (usesSlo(candidate)) params.slo = { successRate: slo.successRate, timeoutMs: slo.timeoutMs };
  return { runner: 'closed-loop', params, label, cost: jobCost(candidate, specs) };
}

/** Rough relative cost: expected arrivals times the candidate's `relativeCost`. */
export function jobCost(candidate: string, specs: readonly LoadSpec[]): number {
  return Math.round(expectedRequests(specs) * (getCandidate(candidate).relativeCost ?? 1));
}

/** Display name of a candidate key. */
export function displayName(key: string): string {
  return getCandidate(key).displayName;
}

/** The candidates a suite runs: `--candidates` or the suite's default set. */
export function chosenCandidates(options: SuiteOptions, defaults: readonly string[]): string[] {
  return options.candidates === undefined ? [...defaults] : [...options.candidates];
}

/** True when the options describe the published configuration (reference figures apply). */
export function isPublishedSetup(options: SuiteOptions): boolean {
  if (!options.workload.builtin) return false;
  if (options.specs.first !== 0 || options.specs.last !== options.workload.specs.length - 1) {
    return false;
  }
  if (options.seed !== BENCH_SEED) return false;
  const ours = JSON.stringify(canonicalBackendConfig(options.backend));
  return ours === JSON.stringify(canonicalBackendConfig({}));
}

/** `x` with exactly two decimals, rounded like C/Go `%.2f` (ties to even on the exact binary value). */
export function fixed2(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let text = abs.toFixed(2);
  // toFixed resolves an exact tie upwards. A double is an exact tie at the
  // third decimal only when its fraction is an odd number of eighths; of
  // those, .125 and .625 must go down to reach an even last digit.
  const eighths = abs * 8;
  if (abs < 1e15 && Number.isInteger(eighths)) {
    const frac = eighths % 8;
    if (frac === 1 || frac === 5) {
      text = `${Math.floor(abs)}.${frac === 1 ? '12' : '62'}`;
    }
  }
  return negative ? `-${text}` : text;
}

/** `x` rounded to two decimals as a number (via `fixed2`), for JSON. */
export function round2(x: number): number {
  const n = Number(fixed2(x));
  return n === 0 ? 0 : n;
}

/** `+1234.56` / `-1234.56`. */
export function signed2(x: number): string {
  const t = fixed2(x);
  return t.startsWith('-') ? t : `+${t}`;
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
    },
  };
}

/**
 * A plain-text table: `" | "` between cells, every column as wide as its
 * widest cell (at least `minWidths[i]`); text columns (the first, and those
 * whose index is in `textColumns`) left-aligned, the others right-aligned.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  minWidths: readonly number[] = [],
  textColumns: readonly number[] = [],
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, minWidths[i] ?? 0, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) =>
        i === 0 || textColumns.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join(' | ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
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

/**
 * A Delta scoreboard row for one configuration, or undefined without Levee.
 * Values are kept unrounded (margins are differences of the exact figures, as
 * upstream's "Levee Lead"); `roundedRow` rounds them for JSON.
 */
export function deltaRow(
  suite: string,
  configuration: string,
  results: readonly ClosedLoopResult[],
  reference?: ScoreboardRow['reference'],
): ScoreboardRow | undefined {
  const levee = results.find((r) => r.candidate === 'Levee');
  if (levee === undefined) return undefined;
  const row: ScoreboardRow = {
    suite,
    configuration,
    metric: 'Delta',
    higherIsBetter: true,
    levee: levee.delta,
    competitors: results
      .filter((r) => r !== levee)
      .map((r) => ({ name: r.candidate, value: r.delta })),
  };
  if (reference !== undefined) row.reference = reference;
  return row;
}

/** A scoreboard row with its figures rounded to two decimals (for JSON). */
export function roundedRow(row: ScoreboardRow): ScoreboardRow {
  const out: ScoreboardRow = {
    suite: row.suite,
    configuration: row.configuration,
    metric: row.metric,
    higherIsBetter: row.higherIsBetter,
    levee: round2(row.levee),
    competitors: row.competitors.map((c) => ({ name: c.name, value: round2(c.value) })),
  };
  if (row.reference !== undefined) out.reference = { ...row.reference };
  return out;
}

/** The best competitor of a row (highest, or lowest when lower is better); undefined if none. */
export function bestCompetitor(
  row: Pick<ScoreboardRow, 'competitors' | 'higherIsBetter'>,
): { name: string; value: number } | undefined {
  let best: { name: string; value: number } | undefined;
  for (const c of row.competitors) {
    if (best === undefined || (row.higherIsBetter ? c.value > best.value : c.value < best.value)) {
      best = c;
    }
  }
  return best;
}

/** The JSON `config` block common to the closed-loop suites. */
export function configJson(options: SuiteOptions, candidates: readonly string[]): object {
  return {
    seed: options.seed,
    workload: options.workload.name,
    specs: {
      first: options.specs.first,
      last: options.specs.last,
      count: options.specs.last - options.specs.first + 1,
    },
    backend: { ...options.backend },
    candidates: [...candidates],
  };
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
