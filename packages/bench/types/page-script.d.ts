/**
 * Globals of the report's page script (src/report/page-script.js), for its
 * type check only (tsconfig.page-script.json): the uPlot IIFE inlined before
 * it, and what the script leaves on `window` for tests and the image script.
 */
import type UPlot from 'uplot';

declare global {
  /** A uPlot chart with the fields the page script adds to it. */
  interface ReportChart extends UPlot {
    reportKey: string;
    reportTitle: string;
    reportRun: unknown;
    reportData: (level: string) => UPlot.AlignedData;
    reportLevel: string;
    reportPending: string | null;
    /** Canvas height (CSS px): the `h=` height, or more if an axis label needs it. */
    reportHeight: number;
  }

  /**
   * The uPlot global. The script builds its options field by field from the
   * page's layout, so they are taken as any object here.
   */
  const uPlot: {
    new (opts: object, data: null, target: HTMLElement): ReportChart;
    readonly paths: typeof UPlot.paths;
  };

  interface Window {
    /** Set once the page is drawn (or has no traces). */
    __report?: {
      charts: ReportChart[];
      readyMs: number;
      decodeMs?: number;
      seconds?: number;
      bucket?: number;
      full?: boolean;
      settled?: () => boolean;
    };
  }
}
