import { describe, expect, it, vi } from 'vitest';
import {
  inlineExecutor,
  type JobExecutor,
  runJobs,
  splitTraced,
  workerExecutor,
} from '../../src/cli/executor.js';
import { createProgressReporter } from '../../src/cli/progress.js';
import type { Job } from '../../src/suites/shared/suite.js';

interface Params {
  candidate: string;
  seed: number;
}

function job(candidate: string): Job<Params> {
  return { runner: 'test', params: { candidate, seed: 1 }, label: candidate, cost: 1 };
}

function name(j: Job): string {
  return (j.params as Params).candidate;
}

function fakeResult(candidate: string): { candidate: string } {
  return { candidate };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('runJobs', () => {
  it('returns results in job order whatever order they finish in', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<unknown>>>();
    const executor: JobExecutor = (j) => {
      const d = deferred<unknown>();
      gates.set(name(j), d);
      return d.promise;
    };
    const finished: number[] = [];
    const run = runJobs([job('a'), job('b'), job('c')], executor, 3, {
      finished: (i) => finished.push(i),
    });
    await Promise.resolve();
    gates.get('c')!.resolve(fakeResult('C'));
    gates.get('a')!.resolve(fakeResult('A'));
    gates.get('b')!.resolve(fakeResult('B'));
    const results = await run;
    expect(results).toEqual([{ candidate: 'A' }, { candidate: 'B' }, { candidate: 'C' }]);
    expect(finished).toEqual([2, 0, 1]);
  });

  it('never runs more than `concurrency` jobs at once and starts them in order', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const executor: JobExecutor = async (j) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return fakeResult(name(j));
    };
    const jobs = ['a', 'b', 'c', 'd', 'e'].map(job);
    const results = await runJobs(jobs, executor, 2, { started: (i) => started.push(i) });
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r as Params).candidate)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('forwards progress with the job index', async () => {
    const seen: Array<[number, number]> = [];
    const executor = inlineExecutor((j, onProgress) => {
      onProgress(0.5);
      onProgress(1);
      return fakeResult(name(j));
    });
    await runJobs([job('a'), job('b')], executor, 1, {
      progress: (i, f) => seen.push([i, f]),
    });
    expect(seen).toEqual([
      [0, 0.5],
      [0, 1],
      [1, 0.5],
      [1, 1],
    ]);
  });

  it('rejects with the first failure, aborts the others and starts no new job', async () => {
    const aborted: string[] = [];
    const started: string[] = [];
    const executor: JobExecutor = (j, _p, signal) => {
      started.push(name(j));
      if (name(j) === 'bad') return Promise.reject(new Error('boom'));
      return new Promise((_res, rej) => {
        signal.addEventListener('abort', () => {
          aborted.push(name(j));
          rej(new Error('aborted'));
        });
      });
    };
    await expect(runJobs([job('slow'), job('bad'), job('never')], executor, 2)).rejects.toThrow(
      'boom',
    );
    expect(aborted).toEqual(['slow']);
    expect(started).toEqual(['slow', 'bad']);
  });
});

/** A worker script as a data: URL: echoes progress and a result built from workerData. */
function dataWorker(body: string): URL {
  const code = `import { parentPort, workerData } from 'node:worker_threads';\n${body}`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

describe('workerExecutor', () => {
  const signal = new AbortController().signal;

  it('relays progress messages and resolves with the posted result', async () => {
    const url = dataWorker(`
      parentPort.postMessage({ type: 'progress', fraction: 0.25 });
      parentPort.postMessage({ type: 'progress', fraction: 1 });
      parentPort.postMessage({ type: 'result', result: { runner: workerData.runner, ...workerData.params } });
    `);
    const progress: number[] = [];
    const result = await workerExecutor(url)(job('echo'), (f) => progress.push(f), signal);
    expect(result).toEqual({ runner: 'test', candidate: 'echo', seed: 1 });
    expect(progress).toEqual([0.25, 1]);
  });

  it('asks the worker for a trace only for a job marked `trace`', async () => {
    const url = dataWorker(
      `parentPort.postMessage({ type: 'result', result: workerData.trace ?? 'plain' });`,
    );
    expect(await workerExecutor(url)(job('a'), () => {}, signal)).toBe('plain');
    expect(await workerExecutor(url)({ ...job('a'), trace: true }, () => {}, signal)).toBe(true);
  });

  it('rejects when the worker throws', async () => {
    const url = dataWorker(`throw new Error('worker blew up: ' + workerData.params.candidate);`);
    await expect(workerExecutor(url)(job('x'), () => {}, signal)).rejects.toThrow(
      'worker blew up: x',
    );
  });

  it('rejects when the worker exits without a result', async () => {
    const url = dataWorker('process.exit(3);');
    await expect(workerExecutor(url)(job('x'), () => {}, signal)).rejects.toThrow(
      /exited with code 3/,
    );
  });

  it('terminates the worker on abort', async () => {
    const url = dataWorker(`
      parentPort.postMessage({ type: 'progress', fraction: 0.1 });
      setInterval(() => {}, 1000);
    `);
    const controller = new AbortController();
    const run = workerExecutor(url)(job('x'), () => controller.abort(), controller.signal);
    await expect(run).rejects.toThrow(/aborted/);
  });
});

describe('splitTraced', () => {
  it('separates a traced result into the plain result and its trace; leaves others alone', () => {
    const trace = { candidate: 'Levee', seconds: 1, crashes: [], columns: {} };
    expect(splitTraced({ tracedResult: { x: 1 }, trace })).toEqual({ result: { x: 1 }, trace });
    expect(splitTraced({ x: 2 })).toEqual({ result: { x: 2 }, trace: undefined });
    expect(splitTraced(null)).toEqual({ result: null, trace: undefined });
  });
});

describe('progress reporter', () => {
  function stream(isTTY: boolean) {
    const chunks: string[] = [];
    return { chunks, isTTY, write: (s: string) => chunks.push(s) };
  }

  it('writes sparse plain lines when stderr is not a terminal', () => {
    let t = 0;
    const out = stream(false);
    const p = createProgressReporter(['No-CB', 'Levee'], out, () => t);
    p.started(0);
    for (let i = 1; i <= 100; i++) {
      t += 100;
      p.progress(0, i / 100);
    }
    p.finished(0);
    p.started(1);
    t += 2500;
    p.progress(1, 0.55);
    p.finished(1);
    p.note('suite: took 12.5 s');
    p.close();
    expect(out.chunks.join('')).toBe(
      [
        'No-CB: started',
        'No-CB: 25% (2.5 s)',
        'No-CB: 50% (5.0 s)',
        'No-CB: 75% (7.5 s)',
        '[1/2] No-CB: done in 10.0 s',
        'Levee: started',
        'Levee: 50% (2.5 s)',
        '[2/2] Levee: done in 2.5 s',
        'suite: took 12.5 s',
        '',
      ].join('\n'),
    );
    expect(p.elapsed(0)).toBe(10_000);
    expect(p.elapsed(1)).toBe(2500);
  });

  it('redraws a header and one bar per running job in place on a terminal', () => {
    let t = 0;
    const out = stream(true);
    const p = createProgressReporter(['No-CB', 'Levee'], out, () => t, 'closed-loop');
    p.started(0);
    t += 1000;
    p.progress(0, 0.5);
    p.progress(0, 0.6); // within the redraw interval: skipped
    p.finished(0);
    p.close();
    const [first, second, third, fourth] = out.chunks;
    expect(first).toBe(
      `closed-loop: 0/2 done, 0.0 s elapsed\n  No-CB     [${'-'.repeat(24)}]   0.0%  0.0 s\n`,
    );
    expect(second).toBe(
      '\x1b[2A\r\x1b[Jclosed-loop: 0/2 done, 1.0 s elapsed\n' +
        `  No-CB     [${'#'.repeat(12)}${'-'.repeat(12)}]  50.0%  1.0 s\n`,
    );
    // The finished job leaves a permanent line above the live block.
    expect(third).toBe(
      '\x1b[2A\r\x1b[J[1/2] No-CB: done in 1.0 s\nclosed-loop: 1/2 done, 1.0 s elapsed\n',
    );
    expect(fourth).toBe('\x1b[1A\r\x1b[J');
    expect(out.chunks).toHaveLength(4);
  });

  it('keeps elapsed times ticking on a terminal until closed', () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      const out = stream(true);
      const p = createProgressReporter(['Levee'], out, () => t);
      p.started(0);
      expect(out.chunks).toHaveLength(1);
      t = 2000;
      vi.advanceTimersByTime(500);
      expect(out.chunks).toHaveLength(2);
      expect(out.chunks[1]).toContain('0.0%  2.0 s');
      p.close();
      const n = out.chunks.length;
      vi.advanceTimersByTime(5000);
      expect(out.chunks).toHaveLength(n);
    } finally {
      vi.useRealTimers();
    }
  });
});
