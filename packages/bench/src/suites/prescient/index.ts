/**
 * The open-loop "prescient" suite (BENCHMARKS.md §4): oracle, penalties,
 * transition classification, the Prescient estimate, the runner and the
 * report. See README.md in this folder.
 */
export {
  type ClassifiedTransition,
  classifyClosing,
  classifyOpening,
  classifyTransitions,
  type EffectiveState,
  type EffectiveTransition,
  effectiveState,
  emptyTransitionCounts,
  FALSE_ALARM_WINDOW_NS,
  FLAP_WINDOW_NS,
  LATE_DETECTION_NS,
  SLOW_RECOVERY_NS,
  type TransitionCategory,
  type TransitionCounts,
} from './classify.js';
export { durationSeconds, type PrescientEstimate, prescientEstimate } from './estimate.js';
export {
  type OracleChange,
  type OraclePeriod,
  OracleRecorder,
  OracleTimeline,
  oracleThreshold,
  PrescientOracle,
} from './oracle.js';
export { BUCKET_NS, type PenaltyResult, PenaltyScorer, UPSTREAM_PHASE_NS } from './penalty.js';
export {
  PUBLISHED_PRESCIENT,
  type PublishedPrescientRow,
  publishedPrescientRow,
} from './published.js';
export {
  checkSameStream,
  estimateOf,
  fixed0,
  formatPrescientTable,
  formatPublishedTable,
  formatTransitionLog,
  PRESCIENT_REFERENCE,
  type PrescientReportMeta,
  type PrescientRow,
  prescientJson,
  prescientRows,
  prescientScoreboardRow,
} from './report.js';
export {
  type OracleSummary,
  type PhasePenalties,
  type PrescientCandidateResult,
  type PrescientJob,
  type PrescientRunOptions,
  type PrescientSpecRange,
  prescientJobSpecs,
  runPrescient,
  runPrescientJob,
} from './run.js';
export { PRESCIENT_RUNNER, PRESCIENT_SLO, prescientSuite } from './suite.js';
