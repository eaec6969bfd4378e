import { describe, expect, it } from 'vitest';
import {
  createProgressReporter,
  ETA_MIN_MEASURED_MS,
  type EtaJob,
  estimateRemainingMs,
  formatDuration,
} from '../../src/cli/progress.js';

describe('formatDuration', () => {
  it.each([
    [0, '0.0 s'],
    [59_940, '59.9 s'],
    [60_000, '1:00'],
    [754_400, '12:34'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

const job = (cost: number, phase: EtaJob['phase'], extra: Partial<EtaJob> = {}): EtaJob => ({
  cost,
  phase,
  fraction: 0,
  startedAt: 0,
  endedAt: 0,
  ...extra,
});

describe('estimateRemainingMs', () => {
  it('says nothing before enough work has been measured', () => {
    const running = [job(100, 'running', { fraction: 0.5 }), job(100, 'waiting')];
    expect(estimateRemainingMs(running, 1, ETA_MIN_MEASURED_MS - 1)).toBeUndefined();
    expect(estimateRemainingMs([job(100, 'running')], 1, 60_000)).toBeUndefined(); // no progress yet
    expect(estimateRemainingMs(running, 1, ETA_MIN_MEASURED_MS)).toBeDefined();
  });

  it('lays the remaining work out on the threads at the measured speed', () => {
    // 10 s of thread time (5 s each) did cost 150: 15 per second. Left: the
    // other half of the running job (cost 50) and two waiting ones (100, 300).
    const jobs = [
      job(100, 'done', { startedAt: 0, endedAt: 5000 }),
      job(100, 'running', { fraction: 0.5, startedAt: 5000 }),
      job(100, 'waiting'),
      job(300, 'waiting'),
    ];
    // One thread: (50 + 100 + 300) / 15 = 30 s.
    expect(estimateRemainingMs(jobs, 1, 10_000)).toBeCloseTo(30_000, 6);
    // Two threads: 100 on the free one (6.7 s); 300 after the running one,
    // which frees its thread at 3.3 s: 3.3 + 20 = 23.3 s.
    expect(estimateRemainingMs(jobs, 2, 10_000)).toBeCloseTo(70_000 / 3, 6);
  });

  it('counts the long job at the end, not just the total divided by the threads', () => {
    const jobs = [
      job(100, 'done', { startedAt: 0, endedAt: 10_000 }),
      job(100, 'done', { startedAt: 0, endedAt: 10_000 }),
      job(1000, 'waiting'),
    ];
    // 10 per second per thread; the 1000 runs on one thread: 100 s, not 50.
    expect(estimateRemainingMs(jobs, 2, 10_000)).toBeCloseTo(100_000, 6);
  });
});

describe('progress reporter: time left', () => {
  function stream(isTTY: boolean) {
    const chunks: string[] = [];
    return { chunks, isTTY, write: (s: string) => chunks.push(s) };
  }

  it('on the done lines of a plain stream, from measured costs and times', () => {
    let t = 0;
    const out = stream(false);
    const p = createProgressReporter(['A', 'B', 'C'], out, () => t, 'suite', {
      costs: [100, 100, 200],
      lanes: 1,
    });
    p.started(0);
    t = 6000;
    p.finished(0); // 100 in 6 s: B and C (300) take 18 s
    p.started(1);
    t = 12_000;
    p.progress(1, 0.5);
    p.finished(1); // 200 in 12 s: C takes 12 s
    p.started(2);
    t = 24_000;
    p.finished(2);
    expect(out.chunks.join('')).toBe(
      [
        'A: started',
        '[1/3] A: done in 6.0 s, about 18.0 s left',
        'B: started',
        'B: 50% (6.0 s)',
        '[2/3] B: done in 6.0 s, about 12.0 s left',
        'C: started',
        '[3/3] C: done in 12.0 s',
        '',
      ].join('\n'),
    );
  });

  it('in the header on a terminal', () => {
    let t = 0;
    const out = stream(true);
    const p = createProgressReporter(['A', 'B'], out, () => t, 'suite', {
      costs: [100, 300],
      lanes: 1,
    });
    p.started(0);
    t = 10_000;
    p.progress(0, 0.5); // 50 in 10 s: the other 50 and B's 300 take 70 s
    p.close();
    expect(out.chunks[1]).toContain('suite: 0/2 done, 10.0 s elapsed, about 1:10 left\n');
  });

  it("not without the jobs' costs", () => {
    let t = 0;
    const out = stream(false);
    const p = createProgressReporter(['A', 'B'], out, () => t);
    p.started(0);
    t = 60_000;
    p.finished(0);
    expect(out.chunks.join('')).toBe('A: started\n[1/2] A: done in 60.0 s\n');
  });
});
