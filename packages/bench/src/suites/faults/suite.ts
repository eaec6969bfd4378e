/**
 * `levee-bench faults` (docs/BENCHMARKS.md §9.4): the closed loop with
 * dependency faults, retrying clients, a larger service and event-loop
 * batching — ten scenarios (src/suites/faults/scenarios.ts), every candidate
 * behind its own backend, plus the schedule oracle where it bounds the score.
 * Per scenario: the closed-loop tables (attempts: what the backend saw), the
 * users' table (requests: what users saw), the ideal and the bound; then a
 * summary with the winner and Levee's margin. Delta stays per attempt.
 */
import { canonicalBackendConfig } from '../../sim/backend/backend-file.js';
import { slotsByLittlesLaw } from '../../sim/backend/latency-generator.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import { runFaultWindows } from '../../sim/workload/faults.js';
import { expectedRequests } from '../../sim/workload/load-spec.js';
import type { ClosedLoopParams } from '../closed-loop/runner.js';
import { closedLoopJob } from '../closed-loop/runner.js';
import { CLOSED_LOOP_SLO } from '../closed-loop/suite.js';
import { chosenCandidates, displayName, singleSlo } from '../shared/jobs.js';
import { nameList } from '../shared/option-values.js';
import { deltaRow, roundedRow } from '../shared/scoreboard.js';
import type { Job, ScoreboardRow, Suite, SuiteOption } from '../shared/suite.js';
import { faultsJson, formatFaultsText, type ScenarioResults } from './format.js';
import { ORACLE_KEY, ORACLE_NAME } from './oracle.js';
import type { FaultsPlan, PlannedScenario } from './plan.js';
import { FAULTS_RUNNER, faultsRunner } from './runner.js';
import {
  FAULT_SCENARIOS,
  type FaultScenario,
  scenarioBackendBase,
  scenarioSpecs,
} from './scenarios.js';

export type { FaultsPlan, PlannedScenario } from './plan.js';

const DEFAULT_CANDIDATES = ['no-cb', 'levee', 'static-bau', 'static-peak'] as const;

interface FaultsOptions {
  /** `--scenarios`: names, in the suite's order. */
  scenarios: string[];
}

const SCENARIOS_OPTION: SuiteOption<FaultsOptions> = {
  flag: 'scenarios',
  value: 'LIST',
  help: `Comma-separated scenarios to run. Known: ${FAULT_SCENARIOS.map((s) => s.name).join(', ')}.
Default: all.`,
  field: 'scenarios',
  parse: (value) =>
    nameList(
      value,
      FAULT_SCENARIOS.map((s) => s.name),
      'scenario',
    ),
};

function planScenario(scenario: FaultScenario, seed: number): PlannedScenario {
  const specs = scenarioSpecs(scenario);
  const backend = canonicalBackendConfig({ ...scenarioBackendBase(), ...scenario.backend });
  if (backend.slotsPerReplica === 'littles-law') {
    backend.slotsPerReplica = slotsByLittlesLaw(specs, backend.throughputPerReplica);
  }
  runFaultWindows(specs, backend.faults ?? []);
  const params: PlannedScenario['params'] = { seed, specs, backend };
  if (scenario.retry !== undefined) params.retry = { ...scenario.retry };
  if (scenario.tickMs !== undefined) params.tickMs = scenario.tickMs;
  return { scenario, params, oracle: scenario.oracle };
}

export const faultsSuite: Suite<ClosedLoopParams, ClosedLoopResult, FaultsPlan, FaultsOptions> = {
  name: 'faults',
  summary: 'dependency faults, retrying clients, a 4x service and event-loop batching',
  description: `Runs the closed loop (one candidate behind its own autoscaling backend) through
ten scenarios of what real dependencies do (docs/BENCHMARKS.md §9.4): 15 %
load-independent errors, a 5-minute hard outage, a 5-minute hang, a brownout
(service x4), a flapping dependency, a retry storm after an outage (clients
retrying with capped exponential backoff and jitter, with and without a retry
budget), and Cyber Monday's 09:00 spike at 1x, with a service 4x larger, and
with completions batched in 1 ms event-loop ticks. Workloads are files in
examples/workloads/. Each scenario prints the closed-loop tables (attempts:
what the backend saw; Delta stays per attempt), a users' table (requests: a
request succeeds if any attempt did), the ideal behaviour and the bound; where
the fault schedule alone bounds the score, an Oracle row (refuses exactly the
calls that cannot succeed) gives it. A summary lists the winner per scenario
and Levee's margin. Options --workload, --specs and --backend do not apply.`,
  options: ['candidates', SCENARIOS_OPTION, 'seed', 'slo', 'timeout-ms', 'json', 'out', 'jobs'],
  defaultCandidates: DEFAULT_CANDIDATES,
  defaults: { slo: '0.90', 'timeout-ms': '1500' },
  runners: { [FAULTS_RUNNER]: faultsRunner },

  plan(options) {
    const chosen = options.scenarios ?? FAULT_SCENARIOS.map((s) => s.name);
    return {
      options,
      slo: singleSlo(options, CLOSED_LOOP_SLO),
      candidates: chosenCandidates(options, DEFAULT_CANDIDATES),
      scenarios: FAULT_SCENARIOS.filter((s) => chosen.includes(s.name)).map((s) =>
        planScenario(s, options.seed),
      ),
    };
  },

  jobs(plan) {
    const jobs: Job<ClosedLoopParams>[] = [];
    for (const p of plan.scenarios) {
      const keys = p.oracle ? [...plan.candidates, ORACLE_KEY] : plan.candidates;
      for (const k of keys) {
        const name = k === ORACLE_KEY ? ORACLE_NAME : displayName(k);
        const base =
          k === ORACLE_KEY
            ? {
                params: { candidate: k, ...p.params },
                cost: Math.round(expectedRequests(p.params.specs)),
              }
            : closedLoopJob(k, p.params.seed, p.params.specs, p.params.backend, plan.slo, name, {
                ...(p.params.retry === undefined ? {} : { retry: p.params.retry }),
                ...(p.params.tickMs === undefined ? {} : { tickMs: p.params.tickMs }),
              });
        jobs.push({
          runner: FAULTS_RUNNER,
          params: base.params,
          label: `${p.scenario.name} / ${name}`,
          cost: base.cost,
        });
      }
    }
    return jobs;
  },

  reduce(plan, results) {
    const groups: ScenarioResults[] = [];
    let i = 0;
    for (const p of plan.scenarios) {
      const own = results.slice(i, i + plan.candidates.length);
      i += plan.candidates.length;
      const oracle = p.oracle ? results[i++] : undefined;
      groups.push({ planned: p, results: own, ...(oracle === undefined ? {} : { oracle }) });
    }
    const scoreboard: ScoreboardRow[] = [];
    for (const g of groups) {
      const row = deltaRow('faults', g.planned.scenario.name, g.results);
      if (row !== undefined) scoreboard.push(row);
    }
    return {
      text: formatFaultsText(groups),
      json: faultsJson(plan, groups, scoreboard.map(roundedRow)),
      scoreboard,
    };
  },
};
