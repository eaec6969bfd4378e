/** The report page of the open-loop ("prescient") suite: what its traces chart (trace.ts). */
import { type PageLayout, SHARE, STATE_KEY, STATE_SHADES } from '../../report/layout.js';

/** The prescient (open-loop) page. */
export function prescientLayout(): PageLayout {
  return {
    id: 'prescient',
    columns: {
      offered: { scale: 1 },
      admitted: { scale: 1 },
      blocked: { scale: 1 },
      oracleBlock: { scale: 1 },
      oracleAdmit: { scale: 1 },
      successes: { scale: 1 },
      failures: { scale: 1 },
      bad: { scale: 1 },
      lost: { scale: 1 },
      badTraffic: { scale: 10, coarseScale: 10 },
      lostBusiness: { scale: 10, coarseScale: 10 },
      totalPenalty: { scale: 10, coarseScale: 10 },
      oracleOpen: SHARE,
      throttled: SHARE,
      halfOpen: SHARE,
      open: SHARE,
      limit: { scale: 1, positiveOnly: true },
      inflight: { scale: 1 },
    },
    runCharts: [
      {
        key: 'requests',
        title: 'offered, admitted and blocked, and what the oracle blocks (requests/s)',
        yLabel: 'requests/s',
        ymaxOption: true,
        series: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.18)' },
          { col: 'admitted', label: 'admitted', color: '#2563eb', fill: 'rgba(37,99,235,0.16)' },
          { col: 'blocked', label: 'blocked', color: '#dc2626' },
          {
            col: 'oracleBlock',
            label: 'oracle blocks',
            color: '#111827',
            width: 1.5,
            dash: [5, 3],
          },
        ],
      },
      {
        key: 'penalty',
        title: 'penalty buckets: bad traffic and lost business (requests/s)',
        yLabel: 'requests/s',
        series: [
          { col: 'bad', label: 'bad traffic (admitted, oracle OPEN)', color: '#b91c1c' },
          { col: 'lost', label: 'lost business (blocked, oracle CLOSED)', color: '#7c3aed' },
        ],
      },
      {
        key: 'score',
        title: 'penalties so far: √Σ(per-second count)²',
        yLabel: 'penalty',
        series: [
          { col: 'badTraffic', label: 'BadTraffic', color: '#b91c1c' },
          { col: 'lostBusiness', label: 'LostBusiness', color: '#7c3aed' },
          { col: 'totalPenalty', label: 'TotalPenalty', color: '#111827', width: 1.5 },
        ],
      },
      {
        key: 'outcomes',
        title: 'outcomes reported to the breaker (per second)',
        yLabel: 'completions/s',
        series: [
          { col: 'successes', label: 'successes', color: '#16a34a' },
          { col: 'failures', label: 'failures', color: '#dc2626' },
        ],
      },
      {
        key: 'limit',
        title: 'inflight limit and inflight (sampled each second)',
        yLabel: 'requests',
        needs: 'limit',
        series: [
          {
            col: 'limit',
            label: 'limit',
            color: '#7c3aed',
            width: 1.5,
            stepped: true,
            zeroAsGap: true,
          },
          { col: 'inflight', label: 'inflight', color: '#2563eb' },
        ],
      },
    ],
    compare: [
      {
        key: 'admitted',
        title: 'Admitted requests per second (dashed: what the oracle admits)',
        yLabel: 'requests/s',
        shared: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.15)' },
          { col: 'oracleAdmit', label: 'oracle admits', color: '#111827', dash: [5, 3] },
        ],
        perRun: [{ col: 'admitted', label: '' }],
      },
      {
        key: 'penalty',
        title: 'TotalPenalty so far',
        yLabel: 'penalty',
        perRun: [{ col: 'totalPenalty', label: '' }],
      },
      {
        key: 'bad',
        title: 'Bad traffic per second (admitted while the oracle is OPEN)',
        yLabel: 'requests/s',
        perRun: [{ col: 'bad', label: '' }],
      },
      {
        key: 'lost',
        title: 'Lost business per second (blocked while the oracle is CLOSED)',
        yLabel: 'requests/s',
        perRun: [{ col: 'lost', label: '' }],
      },
    ],
    shade: {
      states: STATE_SHADES,
      strip: { col: 'oracleOpen', rgb: [17, 24, 39] },
    },
    note: "One row per simulated second of stream time, which are also the penalty buckets. Every candidate replays the same requests, so offered and the oracle's verdict are the same for all. Offered, admitted, blocked and the penalty counts are counted at each request start; outcomes at completion, for the requests the breaker admitted. The oracle is OPEN while the spec in force has an error rate above 1 − SLO; it blocks every request started while it is OPEN. The penalty totals are √Σ of the squared per-second counts up to each second; the last value is the table's.",
    key: [...STATE_KEY, { color: 'rgba(17,24,39,.8)', label: 'strip along the top: oracle OPEN' }],
    marks: [],
  };
}
