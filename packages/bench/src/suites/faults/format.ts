/**
 * Tables and JSON of `levee-bench faults`: per scenario its description, the
 * closed-loop tables (attempts) with the oracle's row where there is one, the
 * users' table (requests); then the summary (winner, Levee's margin, the
 * bound, what users saw, and for the scale and batching scenarios Levee's
 * Delta against its own reference run).
 */

import type { RetryPolicy } from '../../sim/orchestrator/caller.js';
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import { describeFault } from '../../sim/workload/faults.js';
import {
  formatClosedLoopTables,
  formatRequestTable,
  percent,
  requestStats,
  roundedResult,
} from '../closed-loop/format.js';
import { bestCompetitor, deltaRow } from '../shared/scoreboard.js';
import type { ScoreboardRow } from '../shared/suite.js';
import { fixed2, formatTable, signed2 } from '../shared/tables.js';
import type { FaultsPlan, PlannedScenario } from './plan.js';
import { jobFaultWindows } from './runner.js';

/** One scenario's results, in candidate order, and the oracle's. */
export interface ScenarioResults {
  planned: PlannedScenario;
  results: ClosedLoopResult[];
  oracle?: ClosedLoopResult;
}

/** `label` then `text`, wrapped at `width` columns, continuation lines indented like the text. */
function wrap(label: string, text: string, width = 100): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = label;
  const pad = ' '.repeat(label.length);
  for (const w of words) {
    if (line.length + 1 + w.length > width && line.trim() !== label.trim()) {
      lines.push(line);
      line = `${pad}${w}`;
    } else {
      line = line === label ? `${label}${w}` : `${line} ${w}`;
    }
  }
  lines.push(line);
  return `${lines.join('\n')}\n`;
}

/** `full jitter, 4 attempts, backoff min(1000 ms, 100 ms x 2^(n-1))[, budget …]`. */
export function describeClients(policy: RetryPolicy | undefined): string {
  if (policy === undefined) return 'each request tried once';
  const budget =
    policy.budget === undefined
      ? 'no budget'
      : `budget ${policy.budget.ratio} per request + ${policy.budget.minPerS}/s over ${policy.budget.ttlS} s`;
  return (
    `${policy.attempts} attempts, backoff min(${policy.capMs} ms, ${policy.baseMs} ms x 2^(n-1)), ` +
    `${policy.jitter} jitter, refusals ${policy.retryBlocked ? '' : 'not '}retried, ${budget}`
  );
}

function describeWindows(s: PlannedScenario): string {
  const windows = jobFaultWindows({ candidate: '', ...s.params });
  if (windows.length === 0) return 'none';
  return windows
    .map((w) => {
      const extra =
        w.kind === 'error'
          ? ` (share ${w.share})`
          : w.kind === 'slow'
            ? ` (x${w.factor})`
            : w.kind === 'flap'
              ? ` (period ${w.periodS} s, down ${w.downS ?? w.periodS! / 2} s)`
              : '';
      return `${describeFault(w)}${extra}`;
    })
    .join('; ');
}

/** Levee's Delta over (scale × its Delta in the reference scenario), if both ran. */
function referenceRatio(g: ScenarioResults, all: readonly ScenarioResults[]): string {
  const s = g.planned.scenario;
  if (s.referenceScenario === undefined || s.retry !== undefined) return '';
  const ref = all.find((x) => x.planned.scenario.name === s.referenceScenario);
  const mine = g.results.find((r) => r.candidate === 'Levee');
  const theirs = ref?.results.find((r) => r.candidate === 'Levee');
  if (mine === undefined || theirs === undefined || theirs.delta === 0) return '';
  return (mine.delta / (s.scale * theirs.delta)).toFixed(3);
}

function scenarioText(g: ScenarioResults, all: readonly ScenarioResults[]): string {
  const s = g.planned.scenario;
  const head = `-- ${s.name}: ${s.title} --\n`;
  const rows = g.oracle === undefined ? g.results : [...g.results, g.oracle];
  let scaled = '';
  if (s.scale !== 1) {
    scaled = `Delta / ${s.scale}: ${g.results.map((r) => `${r.candidate} ${fixed2(r.delta / s.scale)}`).join(', ')}\n`;
  }
  if (s.referenceScenario !== undefined && s.retry === undefined) {
    const ref = all.find((x) => x.planned.scenario.name === s.referenceScenario);
    if (ref !== undefined) {
      const ratios = g.results
        .map((r) => {
          const base = ref.results.find((x) => x.candidate === r.candidate);
          return base === undefined || base.delta === 0
            ? undefined
            : `${r.candidate} ${(r.delta / (s.scale * base.delta)).toFixed(3)}`;
        })
        .filter((x) => x !== undefined);
      scaled += `Delta / (${s.scale} x own ${s.referenceScenario} Delta): ${ratios.join(', ')}\n`;
    }
  }
  return (
    head +
    wrap('Why:     ', s.rationale) +
    wrap('Ideal:   ', s.ideal) +
    wrap('Bound:   ', s.bound) +
    wrap('Faults:  ', describeWindows(g.planned)) +
    wrap('Clients: ', describeClients(g.planned.params.retry)) +
    (g.planned.params.tickMs === undefined
      ? ''
      : wrap(
          'Ticks:   ',
          `completions delivered in ${g.planned.params.tickMs} ms event-loop ticks`,
        )) +
    '\n' +
    formatClosedLoopTables(rows) +
    // Without retries the closed-loop tables stop at the backend: add what users saw.
    (rows.some((r) => r.requests !== undefined) ? '' : `\n${formatRequestTable(rows)}`) +
    scaled
  );
}

/** One summary line per scenario. */
export function formatFaultsSummary(groups: readonly ScenarioResults[]): string {
  const rows = groups.map((g) => {
    const s = g.planned.scenario;
    const row = deltaRow('', '', g.results);
    const best = row === undefined ? undefined : bestCompetitor(row);
    const levee = g.results.find((r) => r.candidate === 'Levee');
    let winner = '';
    let top: ClosedLoopResult | undefined;
    for (const r of g.results) if (top === undefined || r.delta > top.delta) top = r;
    if (top !== undefined) winner = top.candidate;
    const bestResult =
      best === undefined ? undefined : g.results.find((r) => r.candidate === best.name);
    const users = (r: ClosedLoopResult | undefined): string => {
      if (r === undefined) return '';
      const u = requestStats(r);
      return percent(u.succeeded, u.requests);
    };
    return [
      s.name,
      levee === undefined ? '' : fixed2(levee.delta),
      best?.name ?? '',
      best === undefined ? '' : fixed2(best.value),
      levee === undefined || best === undefined ? '' : signed2(levee.delta - best.value),
      winner,
      g.oracle === undefined ? '' : fixed2(g.oracle.delta),
      users(levee),
      users(bestResult),
      referenceRatio(g, groups),
    ];
  });
  return formatTable(
    [
      'Scenario',
      'Levee',
      'Best competitor',
      'Value',
      'Margin',
      'Winner',
      'Oracle',
      'Levee users OK',
      'Best users OK',
      'Levee vs ref',
    ],
    rows,
    [],
    [2, 5],
  );
}

export function formatFaultsText(groups: readonly ScenarioResults[]): string {
  const parts = groups.map((g) => scenarioText(g, groups));
  const summary = formatFaultsSummary(groups);
  const notes = `
Delta is per attempt (what the backend saw), higher is better; "users OK" is the share of
requests with a successful attempt. Margin = Levee minus the best competitor (positive: Levee
ahead). Oracle = refuses exactly the calls the fault schedule dooms (the bound where it is
given). "Levee vs ref" = Levee's Delta over (scale x its Delta in the reference scenario);
1.000 means the same decisions as there.
`;
  return `${parts.join('\n')}\nSummary:\n${summary}${notes}`;
}

export function faultsJson(
  plan: FaultsPlan,
  groups: readonly ScenarioResults[],
  scoreboard: ScoreboardRow[],
): unknown {
  return {
    suite: 'faults',
    config: {
      seed: plan.options.seed,
      slo: plan.slo,
      candidates: [...plan.candidates],
      scenarios: plan.scenarios.map((s) => s.scenario.name),
    },
    scenarios: groups.map((g) => {
      const s = g.planned.scenario;
      return {
        name: s.name,
        title: s.title,
        workload: s.workload,
        scale: s.scale,
        backend: { ...s.backend },
        faults: jobFaultWindows({ candidate: '', ...g.planned.params }),
        ...(g.planned.params.retry === undefined ? {} : { retry: { ...g.planned.params.retry } }),
        ...(g.planned.params.tickMs === undefined ? {} : { tickMs: g.planned.params.tickMs }),
        ...(s.referenceScenario === undefined ? {} : { reference: s.referenceScenario }),
        rationale: s.rationale,
        ideal: s.ideal,
        bound: s.bound,
        results: g.results.map(roundedResult),
        oracle: g.oracle === undefined ? null : roundedResult(g.oracle),
      };
    }),
    scoreboard,
  };
}
