/** The HTML report: per-second traces of the suites' runs and the pages that chart them. */

export { type MeshTrace, MeshTraceRecorder } from '../suites/mesh/trace.js';
export {
  PrescientRecordingCandidate,
  type PrescientTrace,
  PrescientTraceRecorder,
} from '../suites/prescient/trace.js';
export { decodeColumn, encodeColumn } from './encode.js';
export {
  type ChartSpec,
  type ChartTrace,
  type ColumnSpec,
  type CompareSpec,
  closedLoopLayout,
  meshLayout,
  type PageLayout,
  prescientLayout,
  type SeriesSpec,
  type TraceColumn,
} from './layout.js';
export {
  escapeHtml,
  type IndexEntry,
  objectsToTable,
  type ReportInput,
  type ReportTable,
  type ReportTrace,
  renderIndex,
  renderReport,
} from './page.js';
export {
  FleetTraceRecorder,
  meanServiceSeconds,
  RecordingCandidate,
  TRACE_STATES,
  type Trace,
  type TraceColumns,
  type TraceCrash,
  TraceRecorder,
  TraceTable,
  traceTransferList,
} from './trace.js';
