/** The report page of the live suite: what its traces chart (trace.ts). */
import { type PageLayout, SHARE, STATE_KEY, STATE_SHADES } from '../../report/layout.js';

/** The live page, with its phases' starts (seconds after t0) as marks. */
export function liveLayout(phases: ReadonlyArray<{ startS: number; label: string }>): PageLayout {
  return {
    id: 'live',
    columns: {
      offered: { scale: 1 },
      ok: { scale: 1 },
      late: { scale: 1 },
      failed: { scale: 1 },
      timeout: { scale: 1 },
      shed: { scale: 1 },
      capacity: { scale: 1 },
      p50Ms: { scale: 10 },
      p99Ms: { scale: 10 },
      healthP99Ms: { scale: 100 },
      eldP99Ms: { scale: 100 },
      lagP99Ms: { scale: 100 },
      heapMb: { scale: 10 },
      queue: { scale: 1 },
      limit: { scale: 1, positiveOnly: true },
      inflight: { scale: 1 },
      throttled: SHARE,
      halfOpen: SHARE,
      open: SHARE,
      down: SHARE,
    },
    runCharts: [
      {
        key: 'requests',
        title: 'offered, OK within the SLO (goodput), shed, and the capacity (requests/s)',
        yLabel: 'requests/s',
        ymaxOption: true,
        series: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.18)' },
          { col: 'ok', label: 'OK (goodput)', color: '#16a34a', fill: 'rgba(22,163,74,0.14)' },
          { col: 'shed', label: 'shed', color: '#ea580c' },
          {
            col: 'capacity',
            label: 'capacity',
            color: '#15803d',
            width: 2,
            stepped: true,
            dash: [6, 4],
          },
        ],
      },
      {
        key: 'failures',
        title: 'failures, client timeouts and late OKs (per second)',
        yLabel: 'requests/s',
        series: [
          { col: 'failed', label: 'failed', color: '#dc2626' },
          { col: 'timeout', label: 'timed out', color: '#7f1d1d' },
          { col: 'late', label: 'OK but late', color: '#a16207' },
        ],
      },
      {
        key: 'latency',
        title: 'admitted latency from the scheduled time, and the health endpoint (ms)',
        yLabel: 'ms',
        series: [
          { col: 'p50Ms', label: 'admitted p50', color: '#2563eb' },
          { col: 'p99Ms', label: 'admitted p99', color: '#1e3a8a', width: 1.5 },
          { col: 'healthP99Ms', label: 'health p99', color: '#be185d' },
        ],
      },
      {
        key: 'limit',
        title: 'inflight limit, inflight and the service queue (sampled every 100 ms)',
        yLabel: 'requests',
        series: [
          {
            col: 'limit',
            label: 'limit',
            color: '#7c3aed',
            width: 1.5,
            stepped: true,
            zeroAsGap: true,
          },
          { col: 'inflight', label: 'inflight (max)', color: '#2563eb' },
          { col: 'queue', label: 'service queue (max)', color: '#0f766e', hidden: true },
        ],
      },
      {
        key: 'process',
        title: 'server heap and event-loop delay; load-generator send lag',
        yLabel: 'MB',
        y2Label: 'ms',
        series: [
          { col: 'heapMb', label: 'server heap (max)', color: '#0f766e', width: 1.5 },
          { col: 'eldP99Ms', label: 'server event-loop delay p99', color: '#b45309', y2: true },
          { col: 'lagP99Ms', label: 'send lag p99', color: '#6b7280', y2: true },
        ],
      },
    ],
    compare: [
      {
        key: 'ok',
        title: 'Goodput: OK within the SLO per second',
        yLabel: 'requests/s',
        shared: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.15)' },
          {
            col: 'capacity',
            label: 'capacity',
            color: '#15803d',
            width: 1.5,
            dash: [6, 4],
            stepped: true,
          },
        ],
        perRun: [{ col: 'ok', label: '' }],
      },
      {
        key: 'p99',
        title: 'Admitted p99 latency (ms)',
        yLabel: 'ms',
        perRun: [{ col: 'p99Ms', label: '' }],
      },
      {
        key: 'shed',
        title: 'Shed per second',
        yLabel: 'requests/s',
        perRun: [{ col: 'shed', label: '' }],
      },
      {
        key: 'health',
        title: 'Health endpoint p99 (ms)',
        yLabel: 'ms',
        perRun: [{ col: 'healthP99Ms', label: '' }],
      },
    ],
    shade: { states: STATE_SHADES, down: 'down' },
    note: 'One row per second of real time from the start of the first phase (the warm-up is not shown). Offered counts requests by their scheduled second; OK, late, failed, timed out and shed count them by the second they completed in; latencies run from the scheduled time. The limit, inflight and state shading come from the governor of the part running (the service in service phases, the client in client phases), sampled every 100 ms; heap, queue and event-loop delay from the service’s thread. Live runs are not reproducible to the digit: the figures depend on the machine and its load.',
    key: [
      ...STATE_KEY,
      { color: 'rgba(17,24,39,.5)', label: 'service down (crash), ▼ crash start' },
      { color: '#6b7280', label: 'dashed: phase start' },
    ],
    marks: phases.filter((p) => p.startS > 0).map((p) => ({ atS: p.startS, label: p.label })),
  };
}
