/**
 * Progress display on stderr. On a terminal every candidate gets one line with
 * a bar, redrawn in place; otherwise (a pipe, a CI log) a plain line is written
 * each time a candidate crosses another tenth of its run. Wall-clock time is
 * read here only for display; the simulation never sees it.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressReporter {
  /** The candidate at `index` began simulating. */
  started(index: number): void;
  /** The candidate at `index` reports `fraction` (0..1) done. */
  progress(index: number, fraction: number): void;
  /** The candidate at `index` finished. */
  finished(index: number): void;
  /** All runs are over (or aborted): final redraw and the elapsed-time summary. */
  close(ok: boolean): void;
}

type Phase = 'waiting' | 'running' | 'done';

interface Row {
  name: string;
  phase: Phase;
  fraction: number;
  startedAt: number;
  endedAt: number;
  /** Last tenth reported on a non-terminal stream. */
  tenth: number;
}

const BAR_WIDTH = 30;
const REDRAW_INTERVAL_MS = 100;
const TICK_INTERVAL_MS = 500;

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function bar(fraction: number): string {
  const filled = Math.min(BAR_WIDTH, Math.max(0, Math.floor(fraction * BAR_WIDTH)));
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

function percent(fraction: number): string {
  return `${(Math.min(1, Math.max(0, fraction)) * 100).toFixed(1)}%`.padStart(6);
}

export function createProgressReporter(
  names: readonly string[],
  stream: ProgressStream,
  now: () => number,
): ProgressReporter {
  const rows: Row[] = names.map((name) => ({
    name,
    phase: 'waiting',
    fraction: 0,
    startedAt: 0,
    endedAt: 0,
    tenth: 0,
  }));
  const nameWidth = Math.max(...names.map((n) => n.length), 9);
  const tty = stream.isTTY === true;
  let drawn = false;
  let lastDraw = Number.NEGATIVE_INFINITY;

  const line = (r: Row): string => {
    const name = r.name.padEnd(nameWidth);
    if (r.phase === 'waiting') return `${name} ${bar(0)} waiting`;
    const elapsed = formatSeconds((r.phase === 'done' ? r.endedAt : now()) - r.startedAt);
    if (r.phase === 'done') return `${name} ${bar(1)} ${percent(1)}  done in ${elapsed}`;
    return `${name} ${bar(r.fraction)} ${percent(r.fraction)}  ${elapsed}`;
  };

  const redraw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < REDRAW_INTERVAL_MS) return;
    lastDraw = t;
    let out = drawn ? `\x1b[${rows.length}A` : '';
    for (const r of rows) out += `\r\x1b[2K${line(r)}\n`;
    drawn = true;
    stream.write(out);
  };

  // On a terminal, keep the elapsed times ticking between progress reports.
  let ticker: ReturnType<typeof setInterval> | undefined;
  const startTicker = (): void => {
    if (ticker !== undefined) return;
    ticker = setInterval(() => redraw(false), TICK_INTERVAL_MS);
    ticker.unref();
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
      } else stream.write(`${r.name}: started\n`);
    },
    progress(index, fraction) {
      const r = rows[index];
      if (r === undefined || r.phase !== 'running') return;
      r.fraction = fraction;
      if (tty) {
        redraw(false);
        return;
      }
      const tenth = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
      if (tenth > r.tenth && tenth < 10) {
        r.tenth = tenth;
        stream.write(`${r.name}: ${tenth * 10}% (${formatSeconds(now() - r.startedAt)})\n`);
      }
    },
    finished(index) {
      const r = rows[index];
      if (r === undefined) return;
      r.phase = 'done';
      r.fraction = 1;
      r.endedAt = now();
      if (tty) redraw(true);
      else stream.write(`${r.name}: done in ${formatSeconds(r.endedAt - r.startedAt)}\n`);
    },
    close(ok) {
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (tty && drawn) redraw(true);
      const done = rows.filter((r) => r.phase === 'done');
      if (!ok || done.length === 0) return;
      let out = 'Elapsed wall-clock time per candidate:\n';
      for (const r of done) {
        out += `  ${r.name.padEnd(nameWidth)} ${formatSeconds(r.endedAt - r.startedAt).padStart(9)}\n`;
      }
      stream.write(out);
    },
  };
}
