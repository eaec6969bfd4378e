export { countDispatcherArrivals, Dispatcher } from './arrivals/dispatcher.js';
export { MinHeap } from './arrivals/min-heap.js';
export {
  countOpenLoopArrivals,
  type OpenLoopEventKind,
  OpenLoopGenerator,
  OpenLoopStream,
} from './arrivals/open-loop-stream.js';
export type { Candidate, CandidateState } from './candidates/candidate.js';
export { EXP_RE, EXP_TABLES, type ExpTables, generateExpTables } from './rng/exp-tables.js';
export { GoRand } from './rng/go-rand.js';
export {
  BASE_RPM,
  BENCH_SEED,
  baselineErrorRates,
  cyberMonday,
  degradation,
  INCIDENT_ERROR_RATE,
  isIncident,
  TIMEOUT_MS,
} from './workload/cyber-monday.js';
export { analyticMeanMs, LatencyProfile } from './workload/latency-profile.js';
export { loadWorkloadFile, parseWorkload } from './workload/load-file.js';
export {
  expectedRequests,
  type LoadSpec,
  totalDurationS,
  validateLoadSpecs,
  WorkloadError,
} from './workload/load-spec.js';
