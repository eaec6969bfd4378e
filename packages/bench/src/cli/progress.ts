/**
 * Progress display on stderr. On a terminal, a live block is redrawn in place:
 * a header with the count of finished simulations and one bar per running
 * simulation; finished ones leave a permanent "done in" line above it.
 * Otherwise (a pipe, a CI log) each simulation writes a line when it starts,
 * at 25 %, 50 % and 75 %, and when it is done. Given the jobs' costs and the
 * number of worker threads, both also show the time left (`estimateRemainingMs`):
 * in the header on a terminal, on each "done" line otherwise. Wall-clock time
 * is read here only for display; the simulations never see it, and it never
 * reaches stdout or the JSON.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressReporter {
  /** The job at `index` began simulating. */
  started(index: number): void;
  /** The job at `index` reports `fraction` (0..1) done. */
  progress(index: number, fraction: number): void;
  /** The job at `index` finished. */
  finished(index: number): void;
  /** Print a line above the live block (e.g. a suite's timing). */
  note(text: string): void;
  /** All runs are over (or aborted): final redraw, stop the ticker. */
  close(): void;
  /** Wall-clock milliseconds job `index` took (0 if it has not finished). */
  elapsed(index: number): number;
}

type Phase = 'waiting' | 'running' | 'done';

/** What the time-left estimate needs to know of a job. */
export interface EtaJob {
  /** Relative cost (`Job.cost`: about the expected arrivals). */
  cost: number;
  phase: Phase;
  /** Fraction done (0..1) while running. */
  fraction: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Worker-thread time (ms, summed over threads) measured before a time-left
 * estimate is shown. The first few hundred milliseconds of a job are spent
 * starting its thread and loading modules, not simulating, so a speed
 * measured over less than a few seconds says more about start-up than about
 * the run; on a run that short the estimate would not be needed anyway.
 */
export const ETA_MIN_MEASURED_MS = 5000;

/**
 * Wall-clock milliseconds until every job is done, or undefined before
 * `ETA_MIN_MEASURED_MS` of work has been measured. The speed is the cost done
 * (finished jobs whole, running ones by their reported fraction) per
 * millisecond of worker-thread time spent on them; with it the remaining work
 * is laid out on `lanes` threads the way the pool runs it: the running jobs
 * keep their threads, the waiting ones start in order on the first thread to
 * come free. The estimate is the time the last thread finishes.
 */
export function estimateRemainingMs(
  jobs: readonly EtaJob[],
  lanes: number,
  now: number,
): number | undefined {
  let measured = 0;
  let done = 0;
  for (const j of jobs) {
    if (j.phase === 'done') {
      measured += j.endedAt - j.startedAt;
      done += j.cost;
    } else if (j.phase === 'running') {
      measured += now - j.startedAt;
      done += Math.min(1, Math.max(0, j.fraction)) * j.cost;
    }
  }
  if (measured < ETA_MIN_MEASURED_MS || !(done > 0)) return undefined;
  const speed = done / measured;
  const free: number[] = [];
  for (const j of jobs) {
    if (j.phase === 'running')
      free.push(((1 - Math.min(1, Math.max(0, j.fraction))) * j.cost) / speed);
  }
  while (free.length < lanes) free.push(0);
  for (const j of jobs) {
    if (j.phase !== 'waiting') continue;
    let lane = 0;
    for (let k = 1; k < free.length; k++) if (free[k]! < free[lane]!) lane = k;
    free[lane]! += j.cost / speed;
  }
  return Math.max(0, ...free);
}

/** How the jobs are run, for the time-left estimate. */
export interface ProgressSchedule {
  /** `Job.cost` of each job, in the reporter's order. */
  costs: readonly number[];
  /** Worker threads running jobs at the same time. */
  lanes: number;
}

interface Row extends EtaJob {
  label: string;
  phase: Phase;
  fraction: number;
  startedAt: number;
  endedAt: number;
  /** Last quarter reported on a non-terminal stream. */
  quarter: number;
}

const BAR_WIDTH = 24;
const REDRAW_INTERVAL_MS = 100;
const TICK_INTERVAL_MS = 500;

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `83.4 s`, or `12:05` (minutes:seconds) from one minute on. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function bar(fraction: number): string {
  const filled = Math.min(BAR_WIDTH, Math.max(0, Math.floor(fraction * BAR_WIDTH)));
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

function percent(fraction: number): string {
  return `${(Math.min(1, Math.max(0, fraction)) * 100).toFixed(1)}%`.padStart(6);
}

export function createProgressReporter(
  labels: readonly string[],
  stream: ProgressStream,
  now: () => number,
  title = 'simulations',
  schedule?: ProgressSchedule,
): ProgressReporter {
  const rows: Row[] = labels.map((label, i) => ({
    label,
    cost: schedule?.costs[i] ?? 0,
    phase: 'waiting',
    fraction: 0,
    startedAt: 0,
    endedAt: 0,
    quarter: 0,
  }));
  const total = rows.length;
  const width = Math.max(...labels.map((l) => l.length), 9);
  const tty = stream.isTTY === true;
  const t0 = now();
  let doneCount = 0;
  let drawnLines = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let pending = '';

  const counter = (): string => `[${doneCount}/${total}]`;

  /** `, about 2:05 left` once an estimate can be made (and something is left), else `''`. */
  const left = (): string => {
    if (schedule === undefined || doneCount === total) return '';
    const ms = estimateRemainingMs(rows, schedule.lanes, now());
    return ms === undefined ? '' : `, about ${formatDuration(ms)} left`;
  };

  const block = (): string => {
    const lines = [
      `${title}: ${doneCount}/${total} done, ${formatSeconds(now() - t0)} elapsed${left()}`,
    ];
    for (const r of rows) {
      if (r.phase !== 'running') continue;
      lines.push(
        `  ${r.label.padEnd(width)} ${bar(r.fraction)} ${percent(r.fraction)}  ${formatSeconds(now() - r.startedAt)}`,
      );
    }
    return `${lines.join('\n')}\n`;
  };

  const redraw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < REDRAW_INTERVAL_MS) return;
    lastDraw = t;
    // Erase the old block, print what is pending above it, draw the new block.
    let out = drawnLines > 0 ? `\x1b[${drawnLines}A\r\x1b[J` : '';
    out += pending;
    pending = '';
    const text = block();
    drawnLines = text.split('\n').length - 1;
    stream.write(out + text);
  };

  let ticker: ReturnType<typeof setInterval> | undefined;
  const startTicker = (): void => {
    if (ticker !== undefined) return;
    ticker = setInterval(() => redraw(false), TICK_INTERVAL_MS);
    ticker.unref();
  };

  const permanent = (line: string): void => {
    if (tty) {
      pending += `${line}\n`;
      redraw(true);
    } else stream.write(`${line}\n`);
  };

  return {
    started(index) {
      const r = rows[index];
      if (r === undefined) return;
      r.phase = 'running';
      r.startedAt = now();
      if (tty) {
        redraw(true);
        startTicker();
      } else stream.write(`${r.label}: started\n`);
    },
    progress(index, fraction) {
      const r = rows[index];
      if (r === undefined || r.phase !== 'running') return;
      r.fraction = fraction;
      if (tty) {
        redraw(false);
        return;
      }
      const quarter = Math.floor(Math.min(1, Math.max(0, fraction)) * 4);
      if (quarter > r.quarter && quarter < 4) {
        r.quarter = quarter;
        stream.write(`${r.label}: ${quarter * 25}% (${formatSeconds(now() - r.startedAt)})\n`);
      }
    },
    finished(index) {
      const r = rows[index];
      if (r === undefined || r.phase === 'done') return;
      r.phase = 'done';
      r.fraction = 1;
      r.endedAt = now();
      doneCount++;
      permanent(
        `${counter()} ${r.label}: done in ${formatSeconds(r.endedAt - r.startedAt)}${tty ? '' : left()}`,
      );
    },
    note(text) {
      for (const line of text.replace(/\n$/, '').split('\n')) permanent(line);
    },
    close() {
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (tty && drawnLines > 0) {
        // Leave the final state without the live bars.
        stream.write(`\x1b[${drawnLines}A\r\x1b[J${pending}`);
        pending = '';
        drawnLines = 0;
      }
    },
    elapsed(index) {
      const r = rows[index];
      return r === undefined || r.phase !== 'done' ? 0 : r.endedAt - r.startedAt;
    },
  };
}
