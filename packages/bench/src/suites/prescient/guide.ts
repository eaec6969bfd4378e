/** How to read the prescient suite's figures, for the report page's header. */
import type { SuiteGuide } from '../shared/suite.js';

export const PRESCIENT_GUIDE: SuiteGuide = {
  metric: 'TotalPenalty',
  higherIsBetter: false,
  explanation: `TotalPenalty = BadTraffic + LostBusiness. BadTraffic is √(Σ bad²) over
1-second buckets, bad being the requests admitted while the oracle (which
knows when the workload breaks the SLO) is OPEN; LostBusiness is the same
for the requests rejected while it is CLOSED. Squaring makes a burst of
mistakes cost more than the same number spread thinly. Every candidate
replays the same request stream and its decisions never change outcomes,
so admitting more is no merit in itself: what counts is admitting when the
oracle would and rejecting when it would not. Flap, FalseAlarm and
LateDetect count mistaken changes of state.`,
  candidates: [
    {
      key: 'prescient',
      name: 'Prescient',
      description: "the oracle's own row: what it blocks and admits (no penalty by definition)",
    },
  ],
};
