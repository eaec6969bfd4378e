/**
 * What the suites' jobs are made of, from the shared options: the specs and
 * backend a job simulates, the candidates chosen, the breaker SLO, the
 * published-setup test, the JSON `config` block and the workload's clock.
 */

import { getCandidate } from '../../candidates/registry.js';
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import { canonicalBackendConfig } from '../../sim/backend/backend-file.js';
import { slotsByLittlesLaw } from '../../sim/backend/latency-generator.js';
import { withBaselines } from '../../sim/workload/baseline.js';
import { BENCH_SEED, LEAD_IN_S } from '../../sim/workload/cyber-monday.js';
import { expectedRequests, type LoadSpec } from '../../sim/workload/load-spec.js';
import type { SuiteOptions } from './suite.js';

/** The breaker SLO handed to candidates that take one (Levee). */
export interface SloConfig {
  successRate: number;
  timeoutMs: number;
}

/** The single breaker SLO of a suite: `--slo` / `--timeout-ms` over the suite's default. */
export function singleSlo(options: SuiteOptions, defaults: Readonly<SloConfig>): SloConfig {
  return {
    successRate: options.sloRate ?? defaults.successRate,
    timeoutMs: options.sloTimeoutMs ?? defaults.timeoutMs,
  };
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

/**
 * Clock time of day (s after midnight) at simulated second 0 of a run on the
 * workload, for the report page's time axis: the built-in Cyber Monday
 * workload starts on Sunday at 20:00, plus the specs skipped by `--specs`.
 * Undefined (elapsed time on the axis) for a workload file.
 */
export function workloadClockStart(options: SuiteOptions): number | undefined {
  if (!options.workload.builtin) return undefined;
  let s = 24 * 3600 - LEAD_IN_S;
  for (let i = 0; i < options.specs.first; i++) s += options.workload.specs[i]?.durationS ?? 0;
  return s % 86400;
}
