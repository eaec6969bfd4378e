/** The plan of the faults suite: what `jobs` and `reduce` share. */
import type { ClosedLoopParams } from '../closed-loop/runner.js';
import type { SloConfig } from '../shared/jobs.js';
import type { SuiteOptions } from '../shared/suite.js';
import type { FaultScenario } from './scenarios.js';

/** One scenario, planned. */
export interface PlannedScenario {
  scenario: FaultScenario;
  params: Omit<ClosedLoopParams, 'candidate' | 'slo'>;
  /** Run the oracle after the candidates. */
  oracle: boolean;
}

export interface FaultsPlan {
  options: SuiteOptions;
  slo: SloConfig;
  candidates: string[];
  scenarios: PlannedScenario[];
}
