/**
 * The per-second trace of a live run, for the HTML report: the result's
 * per-second table as typed columns, with the live layout and the phase
 * starts as marks. Built from the result alone (a live run is its own
 * record: nothing extra is recorded while it runs).
 */
import type { ChartTrace, TraceColumn } from '../../report/layout.js';
import { liveLayout } from './layout.js';
import type { LiveRunResult } from './result.js';

export function liveTrace(result: LiveRunResult): ChartTrace {
  const { columns, rows } = result.perSecond;
  const out: Record<string, TraceColumn> = {};
  columns.forEach((name, i) => {
    if (name === 't') return;
    out[name] = Float64Array.from(rows, (row) => row[i] ?? 0);
  });
  let t = 0;
  const phases = result.phases.map((p) => {
    const mark = { startS: t, label: p.name };
    t += p.seconds;
    return mark;
  });
  return {
    candidate: result.name,
    seconds: rows.length,
    crashes: result.crashes.map((c) => ({ startS: c.startS, endS: c.endS })),
    columns: out,
    layout: liveLayout(phases),
  };
}
