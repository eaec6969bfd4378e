/** Folding a run's raw counts into per-phase figures and the per-second table. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD, DEFAULT_SERVICE, type LiveJob } from '../../../src/suites/live/config.js';
import { FAILED, type LoadStats, OK, SHED } from '../../../src/suites/live/load-side.js';
import { assembleResult, PER_SECOND_COLUMNS } from '../../../src/suites/live/result.js';
import { emptyGovernorSeconds, type ServerStats } from '../../../src/suites/live/server-side.js';
import { buildTimeline } from '../../../src/suites/live/timeline.js';
import { liveTrace } from '../../../src/suites/live/trace.js';

const job: LiveJob = {
  flavour: 'http',
  governor: 'oracle',
  phases: [
    { name: '4x', seconds: 2 },
    { name: 'dep-healed', seconds: 2 },
  ],
  service: { ...DEFAULT_SERVICE },
  load: { ...DEFAULT_LOAD, clientTimeoutMs: 2000 },
  slo: { successRate: 0.99, timeoutMs: 1000 },
  seed: 1,
};
const timeline = buildTimeline(job.phases, job.service, job.load);
const ROWS = 7;

/** Counts of a made-up run: the 4x phase half OK, the client phase all OK. */
function load(): LoadStats {
  const zeros = () => new Array<number>(ROWS).fill(0);
  const counts = [zeros(), zeros(), zeros(), zeros(), zeros()];
  counts[OK]![0] = 240;
  counts[OK]![1] = 260;
  counts[SHED]![0] = 400;
  counts[SHED]![1] = 500;
  counts[FAILED]![1] = 100;
  counts[OK]![2] = 100;
  counts[OK]![3] = 100;
  counts[FAILED]![5] = 1; // a straggler of the drain, after the phases
  return {
    phases: [
      {
        counts: [500, 0, 100, 0, 900],
        admittedMs: Array.from({ length: 600 }, (_, i) => i + 1),
        lagMs: [0.5, 1, 20],
        elu: 0.4,
        recoveryS: null,
      },
      {
        counts: [200, 0, 0, 0, 0],
        admittedMs: new Array<number>(200).fill(6),
        lagMs: [0.1],
        elu: 0.1,
        recoveryS: 0,
      },
    ],
    seconds: {
      offered: [750, 750, 100, 100, 0, 0, 0],
      counts,
      admittedMs: Array.from({ length: ROWS }, (_, s) => (s < 2 ? [50, 70] : s < 4 ? [6] : [])),
      lagP99Ms: [1, 20, 0.1, 0.1, 0, 0, 0],
    },
    governor: {
      ...emptyGovernorSeconds(),
      samples: [0, 0, 10, 10],
      states: [[0, 0, 10, 5], [], [], [0, 0, 0, 5]],
      limit: [0, 0, 20, 20],
      limitMin: [undefined as unknown as number, undefined as unknown as number, 20, 20],
      limitMax: [undefined as unknown as number, undefined as unknown as number, 20, 20],
      inflight: [0, 0, 1, 2],
    },
    abandoned: 0,
    openHandles: [],
  };
}

function server(): ServerStats {
  return {
    governor: {
      samples: [10, 10],
      states: [[4, 0], [6, 10], [], []],
      limit: [20, 20],
      limitMin: [20, 20],
      limitMax: [20, 20],
      inflight: [20, 20],
    },
    queue: [0, 0, 0, 0],
    heapMb: [10, 12.34, 11, 9],
    eldP99Ms: [2, 3, 1, 1],
    down: [0, 0, 0, 0],
    crashes: [],
    served: { ok: 500, errors: 0, timeouts: 0, rejected: 0 },
    openHandles: [],
  };
}

describe('assembleResult', () => {
  const result = assembleResult({
    job,
    timeline,
    load: load(),
    server: server(),
    health: [
      { tNs: 0.5e9, ms: 1 },
      { tNs: 1.5e9, ms: 3 },
      { tNs: 2.5e9, ms: 0.5 },
    ],
    loadAverage: { start: 1.234, end: 2 },
    leftovers: [],
  });

  it('sums a phase and relates its goodput to the capacity', () => {
    const [overload, client] = result.phases;
    expect(overload).toMatchObject({
      name: '4x',
      part: 'service',
      offered: 1500,
      ok: 500,
      shed: 900,
      failed: 100,
      goodputRps: 250,
      ofCapacity: 1,
      ofOffered: 0.333,
      goodputMinRps: 240,
      goodputMaxRps: 260,
      admittedP50Ms: 300,
      admittedP99Ms: 594,
      shedShare: 0.6,
      failedShare: 0.067,
      healthP99Ms: 3,
      heapMaxMb: 12.3,
      limitMin: 20,
      limitMax: 20,
      inflightMax: 20,
      stateShares: { closed: 0.2, throttled: 0.8, halfOpen: 0, open: 0 },
      sendLagP99Ms: 20,
      sendLagMaxMs: 20,
      generatorElu: 0.4,
    });
    expect(overload!.recoveryS).toBeUndefined();
    // A client phase: the client's governor, no capacity ratio, its recovery time.
    expect(client).toMatchObject({
      part: 'client',
      ofCapacity: null,
      ofOffered: 1,
      stateShares: { closed: 0.75, throttled: 0, halfOpen: 0, open: 0.25 },
      inflightMax: 2,
      recoveryS: 0,
    });
    expect(result.totals).toEqual({
      offered: 1700,
      ok: 700,
      late: 0,
      failed: 100,
      timeout: 0,
      shed: 900,
    });
    expect(result.loadAverage).toEqual({ start: 1.23, end: 2 });
  });

  it('tabulates every second to the last completion, with the capacity only in service seconds', () => {
    const { columns, rows } = result.perSecond;
    expect(columns).toEqual([...PER_SECOND_COLUMNS]);
    expect(rows).toHaveLength(6); // the empty last row of the drain is dropped
    const at = (s: number, col: string) => rows[s]![columns.indexOf(col)];
    expect([at(0, 'ok'), at(0, 'shed'), at(0, 'capacity'), at(2, 'capacity')]).toEqual([
      240, 400, 250, 0,
    ]);
    expect([at(1, 'failed'), at(1, 'throttled'), at(3, 'open'), at(3, 'limit')]).toEqual([
      100, 1, 0.5, 20,
    ]);
    expect([at(0, 'p99Ms'), at(2, 'p50Ms'), at(1, 'healthP99Ms'), at(1, 'heapMb')]).toEqual([
      70, 6, 3, 12.3,
    ]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('gives the report a trace with the live layout and the phase marks', () => {
    const trace = liveTrace(result);
    expect(trace.candidate).toBe('Static-Oracle');
    expect(trace.seconds).toBe(6);
    expect(trace.layout?.id).toBe('live');
    expect(trace.layout?.marks).toEqual([{ atS: 2, label: 'dep-healed' }]);
    for (const name of Object.keys(trace.layout!.columns)) {
      expect(trace.columns[name], name).toBeDefined();
    }
    expect(Array.from(trace.columns.ok!)).toEqual([240, 260, 100, 100, 0, 0]);
  });
});
