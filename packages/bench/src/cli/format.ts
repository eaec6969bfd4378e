/**
 * Text helpers of the CLI: number formatting shared with the suites, and the
 * closed-loop tables in the published layout.
 */

export { formatClosedLoopTables as formatReport } from '../suites/closed-loop/suite.js';
export { fixed2, round2 } from '../suites/common.js';

/** `83.4 s`, or `12:05` (minutes:seconds) from one minute on. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
