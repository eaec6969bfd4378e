/** How to read the cooperation suite's figures, for the report page's header. */
import { DELTA_EXPLANATION } from '../closed-loop/guide.js';
import type { SuiteGuide } from '../shared/suite.js';

export const COOPERATION_GUIDE: SuiteGuide = {
  metric: 'Delta',
  higherIsBetter: true,
  explanation: `${DELTA_EXPLANATION}

Here each candidate runs as 100 instances sharing one backend: Allowed,
Blocked, successes and failures are summed over the instances, and one
scorer scores all their completions, so the Deltas compare with those of the
closed-loop run.`,
};
