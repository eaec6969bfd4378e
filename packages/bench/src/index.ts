export type { Candidate, CandidateState } from './candidates/candidate.js';
export { countDispatcherArrivals, Dispatcher } from './sim/arrivals/dispatcher.js';
export { MinHeap } from './sim/arrivals/min-heap.js';
export {
  countOpenLoopArrivals,
  type OpenLoopEventKind,
  OpenLoopGenerator,
  OpenLoopStream,
} from './sim/arrivals/open-loop-stream.js';
export { EXP_RE, EXP_TABLES, type ExpTables, generateExpTables } from './sim/rng/exp-tables.js';
export { GoRand } from './sim/rng/go-rand.js';
export {
  BASE_RPM,
  BENCH_SEED,
  baselineErrorRates,
  cyberMonday,
  degradation,
  INCIDENT_ERROR_RATE,
  isIncident,
  TIMEOUT_MS,
} from './sim/workload/cyber-monday.js';
export { analyticMeanMs, LatencyProfile } from './sim/workload/latency-profile.js';
export { loadWorkloadFile, parseWorkload } from './sim/workload/load-file.js';
export {
  expectedRequests,
  type LoadSpec,
  totalDurationS,
  validateLoadSpecs,
  WorkloadError,
} from './sim/workload/load-spec.js';
