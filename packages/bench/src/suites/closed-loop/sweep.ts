/**
 * Sweeps of the reference run (load-variation, slo-sweep, queue-depth): the
 * closed-loop run repeated over a list of configurations, each changing the
 * workload, the backend or the breaker SLO. A sweep is declared — its
 * configurations, what each changes, its labels and its published figures —
 * and `closedLoopSweep` makes the suite: the plan (computed once), the jobs
 * (every configuration × candidate), and the reduction into a summary table
 * (Delta per configuration and candidate, Levee's lead), a detail table, the
 * JSON and the scoreboard rows.
 */
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import {
  chosenCandidates,
  configJson,
  displayName,
  isPublishedSetup,
  jobBackend,
  jobSpecs,
  type SloConfig,
  singleSlo,
  type Variation,
  workloadClockStart,
} from '../shared/jobs.js';
import { deltaRow, roundedRow } from '../shared/scoreboard.js';
import type {
  Job,
  OptionEntry,
  ScoreboardRow,
  SharedOptionName,
  Suite,
  SuiteOptions,
} from '../shared/suite.js';
import { type ClientOptions, clientModel, RETRY_OPTION, TICK_OPTION } from './client-options.js';
import {
  clientModelJson,
  formatDetailTable,
  formatRequestDetail,
  formatSweepSummary,
  roundedResult,
} from './format.js';
import { DELTA_GUIDE } from './guide.js';
import {
  CLOSED_LOOP_RUNNER,
  type ClientModel,
  type ClosedLoopParams,
  closedLoopJob,
  closedLoopRunner,
} from './runner.js';

/** One configuration of a sweep. */
export interface SweepConfiguration {
  /** Its row in the summary table, e.g. `10 (0.2x)`; after `scoreboardPrefix`, its scoreboard configuration. */
  label: string;
  /** The first cell of its rows in the detail table, e.g. `10`. */
  detail: string;
  /** The start of its jobs' labels (`<job> / <candidate>`), e.g. `QD 10`. */
  job: string;
  /** Changes the workload: every spec's RPM and error rate (`applyVariation`). */
  variation?: Variation;
  /** Changes the backend: overrides on top of `--backend`. */
  backend?: Partial<BackendConfig>;
  /** Changes the breaker SLO (instead of the sweep's single SLO). */
  slo?: SloConfig;
  /** Its published scoreboard reference, if there is one (used for the published setup only). */
  reference?: ScoreboardRow['reference'];
  /** Its entry in the JSON list, before `results`. */
  json: Record<string, unknown>;
}

/** What the sweep's plan knows besides the configurations. */
export interface SweepContext<O extends object> {
  options: SuiteOptions & Partial<O>;
  /** The sweep's single SLO: `--slo` / `--timeout-ms` over its default. */
  slo: SloConfig;
  /** The candidates, in print order. */
  candidates: string[];
}

/** A sweep, declared. `O`: its own options (parsed into the options object). */
export interface SweepDeclaration<O extends object> {
  name: string;
  summary: string;
  description: string;
  options: readonly OptionEntry<O>[];
  defaultCandidates: readonly string[];
  defaults?: Partial<Record<SharedOptionName, string>>;
  /** The SLO of the configurations that do not change it; the published figures assume it. */
  slo: Readonly<SloConfig>;
  /** The first header of both tables, e.g. `QueueDepth`. */
  column: string;
  /** Before a configuration's label on the scoreboard, e.g. `QD `. */
  scoreboardPrefix?: string;
  /** The configurations the options select, in order (throws on a bad selection). */
  configurations(options: SuiteOptions & Partial<O>): SweepConfiguration[];
  /**
   * Candidates the sweep's changes do not affect (e.g. the static breakers in
   * an SLO sweep): they run once, after the others, with `label` after their
   * name in the job label and `detail` as their detail-table cell, and their
   * result stands in every configuration's row.
   */
  invariant?: { applies(candidate: string): boolean; label: string; detail: string };
  /** Extra summary-table columns after Levee's lead. */
  extraColumns?: {
    headers(candidates: readonly string[]): string[];
    cells(results: readonly ClosedLoopResult[]): string[];
  };
  json: {
    /** Fields of the JSON `config` block after the common ones. */
    config(context: SweepContext<O>): Record<string, unknown>;
    /** Name of the JSON list of configurations, e.g. `depths`. */
    list: string;
  };
}

interface PlannedConfiguration extends SweepConfiguration {
  specs: LoadSpec[];
  backendConfig: BackendConfig;
  breakerSlo: SloConfig;
}

export interface SweepPlan<O extends object> extends SweepContext<O> {
  configurations: PlannedConfiguration[];
  /** `--retry`, `--tick-ms` (empty when off), for every job of the sweep. */
  model: ClientModel;
  /** Candidates whose jobs change with the configuration, in print order. */
  varied: string[];
  /** Candidates run once (`invariant`), in print order. */
  invariant: string[];
  /** The specs, backend and SLO of the unchanged run (the invariant candidates'). */
  base: { specs: LoadSpec[]; backend: BackendConfig };
  /** The published setup and SLO: the configurations' references apply. */
  published: boolean;
}

/**
 * A sweep's options with the client-model options (`--retry`, `--tick-ms`)
 * added before the output options.
 */
function withClientOptions<O extends object>(
  options: readonly OptionEntry<O>[],
): OptionEntry<O & ClientOptions>[] {
  const out = [...options] as OptionEntry<O & ClientOptions>[];
  const at = out.findIndex((o) => o === 'json' || o === 'out' || o === 'jobs');
  const client = [RETRY_OPTION, TICK_OPTION] as unknown as OptionEntry<O & ClientOptions>[];
  out.splice(at < 0 ? out.length : at, 0, ...client);
  return out;
}

/** The suite of a sweep declaration. */
export function closedLoopSweep<O extends object>(
  sweep: SweepDeclaration<O>,
): Suite<ClosedLoopParams, ClosedLoopResult, SweepPlan<O>, O & ClientOptions> {
  const invariant = (c: string): boolean => sweep.invariant?.applies(c) ?? false;
  return {
    name: sweep.name,
    summary: sweep.summary,
    description: sweep.description,
    options: withClientOptions(sweep.options),
    defaultCandidates: sweep.defaultCandidates,
    ...(sweep.defaults === undefined ? {} : { defaults: sweep.defaults }),
    guide: DELTA_GUIDE,
    runners: { [CLOSED_LOOP_RUNNER]: closedLoopRunner },

    plan(options) {
      const slo = singleSlo(options, sweep.slo);
      const candidates = chosenCandidates(options, sweep.defaultCandidates);
      const base = { specs: jobSpecs(options), backend: jobBackend(options) };
      const model = clientModel(options);
      return {
        options,
        slo,
        candidates,
        model,
        configurations: sweep.configurations(options).map((c) => ({
          ...c,
          specs: c.variation === undefined ? base.specs : jobSpecs(options, c.variation),
          backendConfig: c.backend === undefined ? base.backend : jobBackend(options, c.backend),
          breakerSlo: c.slo ?? slo,
        })),
        varied: candidates.filter((c) => !invariant(c)),
        invariant: candidates.filter(invariant),
        base,
        published:
          Object.keys(model).length === 0 &&
          isPublishedSetup(options) &&
          slo.successRate === sweep.slo.successRate &&
          slo.timeoutMs === sweep.slo.timeoutMs,
      };
    },

    jobs(plan) {
      const seed = plan.options.seed;
      const jobs: Job<ClosedLoopParams>[] = [];
      for (const c of plan.configurations) {
        for (const k of plan.varied) {
          const label = `${c.job} / ${displayName(k)}`;
          jobs.push(
            closedLoopJob(k, seed, c.specs, c.backendConfig, c.breakerSlo, label, plan.model),
          );
        }
      }
      for (const k of plan.invariant) {
        const label = `${displayName(k)} ${sweep.invariant!.label}`;
        jobs.push(
          closedLoopJob(k, seed, plan.base.specs, plan.base.backend, plan.slo, label, plan.model),
        );
      }
      return jobs;
    },

    reduce(plan, results) {
      const n = plan.varied.length;
      const invariantResults = new Map(
        plan.invariant.map((k, i) => [k, results[plan.configurations.length * n + i]!]),
      );
      const groups = plan.configurations.map((c, i) => {
        const own = new Map(plan.varied.map((k, j) => [k, results[i * n + j]!]));
        // Rows list the candidates in the order chosen.
        const row = plan.candidates.map((k) => own.get(k) ?? invariantResults.get(k)!);
        return { c, own: plan.varied.map((k) => own.get(k)!), results: row };
      });
      const scoreboard: ScoreboardRow[] = [];
      for (const g of groups) {
        const row = deltaRow(
          sweep.name,
          `${sweep.scoreboardPrefix ?? ''}${g.c.label}`,
          g.results,
          plan.published ? g.c.reference : undefined,
        );
        if (row !== undefined) scoreboard.push(row);
      }
      const extra = sweep.extraColumns;
      const detailRows = [
        ...groups.flatMap((g) => g.own.map((result) => ({ configuration: g.c.detail, result }))),
        ...[...invariantResults.values()].map((result) => ({
          configuration: sweep.invariant!.detail,
          result,
        })),
      ];
      const users = detailRows.some((r) => r.result.requests !== undefined)
        ? `\n${formatRequestDetail(sweep.column, detailRows)}`
        : '';
      const text =
        formatSweepSummary(
          sweep.column,
          groups.map((g) => ({
            configuration: g.c.label,
            results: g.results,
            extra: extra === undefined ? [] : extra.cells(g.results),
          })),
          extra === undefined ? [] : extra.headers(plan.candidates),
        ) +
        '\n' +
        formatDetailTable(sweep.column, detailRows) +
        users;
      return {
        text,
        json: {
          suite: sweep.name,
          config: {
            ...configJson(plan.options, plan.candidates),
            ...sweep.json.config(plan),
            ...clientModelJson(plan.model),
          },
          [sweep.json.list]: groups.map((g) => ({
            ...g.c.json,
            results: g.results.map(roundedResult),
          })),
          scoreboard: scoreboard.map(roundedRow),
        },
        scoreboard,
      };
    },

    clockStartS: (plan) => workloadClockStart(plan.options),
  };
}
