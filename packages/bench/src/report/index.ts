/** The HTML report: per-second traces of closed-loop runs and the pages that chart them. */
export { decodeColumn, encodeColumn } from './encode.js';
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
  meanServiceSeconds,
  RecordingCandidate,
  TRACE_STATES,
  type Trace,
  type TraceColumns,
  type TraceCrash,
  TraceRecorder,
  traceTransferList,
} from './trace.js';
