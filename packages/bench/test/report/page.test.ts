/**
 * The report page generator: column encoding round trips, the page is one
 * self-contained file (no http(s) address in any script or link tag, uPlot
 * inlined), text is escaped, tables are built from result objects, the data
 * embedded decodes back to the trace, and the index links every page.
 */
import { describe, expect, test } from 'vitest';
import {
  decodeColumn,
  decodeDeltaVarint,
  encodeColumn,
  encodeDeltaVarint,
} from '../../src/report/encode.js';
import { type ChartTrace, NO_TRACES_LAYOUT } from '../../src/report/layout.js';
import {
  bucketMeans,
  buildPageData,
  objectsToTable,
  overviewBucket,
  pageLayout,
  renderIndex,
  renderReport,
} from '../../src/report/page.js';
import { suiteReportHtml } from '../../src/report/suite-page.js';
import { closedLoopLayout } from '../../src/suites/closed-loop/layout.js';
import type { Trace, TraceColumns } from '../../src/suites/closed-loop/trace.js';
import { meshLayout } from '../../src/suites/mesh/layout.js';
import { prescientLayout } from '../../src/suites/prescient/layout.js';

function syntheticTrace(candidate: string, seconds: number, seed = 1): Trace {
  const col = <T extends Uint32Array | Float64Array | Uint16Array>(
    make: (n: number) => T,
    f: (i: number) => number,
  ): T => {
    const a = make(seconds);
    for (let i = 0; i < seconds; i++) a[i] = f(i);
    return a;
  };
  const u32 = (n: number) => new Uint32Array(n);
  const f64 = (n: number) => new Float64Array(n);
  const u16 = (n: number) => new Uint16Array(n);
  const offered = col(u32, (i) => 100 + ((i * 7919 * seed) % 37));
  const admitted = col(u32, (i) => offered[i]! - (i % 50 === 0 ? 20 : 0));
  const columns: TraceColumns = {
    offered,
    admitted,
    blocked: col(u32, (i) => offered[i]! - admitted[i]!),
    successes: col(u32, (i) => admitted[i]! - 1),
    failures: col(u32, () => 1),
    shed: col(u32, (i) => (i % 100 === 0 ? 3 : 0)),
    queueDrops: col(u32, () => 0),
    replicas: col(u16, (i) => 1 + Math.floor(i / 1000)),
    slots: col(u32, (i) => 11 * (1 + Math.floor(i / 1000))),
    load: col(f64, (i) => (i % 60) / 100),
    spec: col(u16, () => 0),
    capacity: col(f64, (i) => 162.6 * (1 + Math.floor(i / 1000))),
    crashes: col(u16, (i) => (i === 500 ? 1 : 0)),
    down: col(f64, (i) => (i >= 500 && i < 800 ? 1 : 0)),
    closed: col(f64, (i) => (i % 50 === 0 ? 0.5 : 1)),
    throttled: col(f64, (i) => (i % 50 === 0 ? 0.5 : 0)),
    halfOpen: col(f64, () => 0),
    open: col(f64, () => 0),
  };
  if (candidate === 'Levee') {
    columns.limit = col(f64, (i) => (i % 50 === 0 ? 40 : 0));
    columns.inflight = col(f64, (i) => i % 13);
  }
  return {
    candidate,
    seconds,
    throughputPerReplica: 150,
    slotsPerReplica: 11,
    meanServiceS: [0.067652],
    crashes: [{ startS: 500.25, endS: 800.25 }],
    columns,
    layout: closedLoopLayout(),
  };
}

/** The JSON embedded in a page. */
function pageData(html: string): {
  seconds: number;
  bucket: number;
  clockStartS: number | null;
  blobs: string[];
  runs: Array<{
    label: string;
    color: string;
    crashes: number[][];
    fullCols: Record<string, [number, number]>;
    coarseCols: Record<string, [number, number]>;
    coarseOnly?: boolean;
  }>;
} {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

describe('column encoding', () => {
  test('delta + zigzag + varint round trips, including negatives and values past 2^31', () => {
    const values = [0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 2 ** 31 + 5, -(2 ** 40), 7, 7, 7];
    const bytes = encodeDeltaVarint(values);
    expect(Array.from(decodeDeltaVarint(bytes))).toEqual(values);
    // Repeated values cost one byte each.
    expect(encodeDeltaVarint([5, 5, 5, 5]).length).toBe(1 + 3);
  });

  test('quantisation by scale, deflate and base64', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i / 50) * 3);
    const text = encodeColumn(values, 1000);
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const back = decodeColumn(text, 1000);
    expect(back.length).toBe(values.length);
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(0.0005 + 1e-12);
    }
    // Non-finite values are stored as 0.
    expect(Array.from(decodeColumn(encodeColumn([1, Number.NaN, 3])))).toEqual([1, 0, 3]);
  });
});

describe('overview buckets', () => {
  test('the smallest bucket giving at most 2,500 points', () => {
    expect(overviewBucket(2000)).toBe(1);
    expect(overviewBucket(18_001)).toBe(10);
    expect(overviewBucket(100_802)).toBe(60);
  });

  test('bucket means, padded with zeros; the limit averages its positive values only', () => {
    expect(Array.from(bucketMeans([1, 2, 3, 4, 5], 6, 2))).toEqual([1.5, 3.5, 2.5]);
    expect(Array.from(bucketMeans([0, 10, 0, 0, 30, 50], 6, 3, true))).toEqual([10, 40]);
  });
});

describe('renderReport', () => {
  const traces = [syntheticTrace('Levee', 3000), syntheticTrace('Static-Peak', 3000, 2)];
  const html = renderReport({
    suite: 'closed-loop',
    description: 'Test <run> & more',
    config: { seed: 1, specs: { first: 0, last: 7 }, note: '</script><b>x</b>' },
    results: [
      { candidate: 'Levee', blocked: 10, delta: 71069.348, backend: { crashes: 0 } },
      { candidate: 'Static-Peak', blocked: 12, delta: 61497.68, backend: { crashes: 50 } },
    ],
    traces,
    clockStartS: 72_000,
  });

  test('is one self-contained document: no http(s) address in any script or link tag', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const tags = html.match(/<(script|link)\b[^>]*>[\s\S]*?(<\/\1>|$)/gi) ?? [];
    expect(tags.length).toBeGreaterThanOrEqual(3);
    for (const tag of tags) expect(tag).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    // uPlot and its CSS are inlined, with its licence.
    expect(html).toContain('var uPlot=');
    expect(html).toContain('.uplot');
    expect(html).toContain('Permission is hereby granted');
  });

  test('escapes text, so nothing given can close a tag', () => {
    expect(html).toContain('Test &lt;run&gt; &amp; more');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    // The only closing script tags are the three of the page itself.
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
  });

  test('a table row per result, nested fields flattened, numbers formatted', () => {
    expect(html).toContain('<th>backend.crashes</th>');
    expect(html).toContain('<td class="num" title="71069.348">71,069.35</td>');
    expect(html).toContain('<td class="name">Static-Peak</td>');
  });

  test('embeds every page column of every trace, decodable back to the trace', () => {
    const data = pageData(html);
    expect(data.seconds).toBe(3000);
    expect(data.bucket).toBe(2);
    expect(data.clockStartS).toBe(72_000);
    expect(data.runs.map((r) => r.label)).toEqual(['Levee', 'Static-Peak']);
    expect(data.runs[0]!.color).not.toBe(data.runs[1]!.color);
    expect(data.runs[0]!.crashes).toEqual([[500.25, 800.25]]);
    expect(Object.keys(data.runs[0]!.fullCols)).toContain('limit');
    expect(Object.keys(data.runs[1]!.fullCols)).not.toContain('limit');
    for (const [r, run] of data.runs.entries()) {
      const trace = traces[r]!;
      for (const [name, [blob, scale]] of Object.entries(run.fullCols)) {
        const back = decodeColumn(data.blobs[blob]!, scale);
        const original = trace.columns[name as keyof TraceColumns]!;
        expect(back.length).toBe(original.length);
        for (let i = 0; i < original.length; i += 97) {
          expect(back[i]).toBeCloseTo(original[i]!, 3);
        }
      }
      const [blob, scale] = run.coarseCols.admitted!;
      const means = decodeColumn(data.blobs[blob]!, scale);
      expect(means.length).toBe(1500);
      expect(means[0]).toBeCloseTo(
        (trace.columns.admitted[0]! + trace.columns.admitted[1]!) / 2,
        1,
      );
    }
  });

  test('identical columns are stored once', () => {
    const data = pageData(html);
    const a = data.runs[0]!.fullCols;
    const b = data.runs[1]!.fullCols;
    expect(a.halfOpen![0]).toBe(b.halfOpen![0]);
    expect(a.offered![0]).not.toBe(b.offered![0]);
  });

  test('past the size budget a run keeps only its overview means', () => {
    const small = buildPageData(traces, undefined, 1);
    expect(small.runs.every((r) => r.coarseOnly === true)).toBe(true);
    expect(small.runs[0]!.fullCols.admitted).toEqual([-1, 1]);
    const roomy = buildPageData(traces);
    expect(roomy.runs.some((r) => r.coarseOnly)).toBe(false);
  });

  test('results-only pages (no traces) still render, and prepared tables are used as given', () => {
    const page = renderReport({
      suite: 'cooperation',
      config: {},
      results: [{ title: 'Scores', columns: ['CB Type', 'Delta'], rows: [['Levee', 79171.74]] }],
      traces: [],
    });
    expect(page).toContain('<h3>Scores</h3>');
    expect(page).toContain('<td class="name">Levee</td>');
    expect(pageData(page).runs).toEqual([]);
  });

  test('printed tables are the results, shown once as HTML tables with the notes between them', () => {
    const page = renderReport({
      suite: 'cooperation',
      config: {},
      results: [{ candidate: 'Levee', blocked: 123456 }],
      text: 'Heading line\nCB Type     | Inst |    Delta\nLevee       |  100 | 79171.74\nStatic-Peak |  100 | -7.10\n\nA note <b>\n',
      traces: [],
    });
    expect(page.match(/<table class="results">/g)).toHaveLength(1);
    expect(page).toContain(
      '<thead><tr><th class="name">CB Type</th><th class="num">Inst</th><th class="num">Delta</th></tr></thead>',
    );
    expect(page).toContain(
      '<td class="name"><span class="w">Static-Peak</span></td><td class="num">100</td><td class="num">-7.10</td>',
    );
    expect(page).toContain('<pre class="note">Heading line</pre>');
    expect(page).toContain('<pre class="note">A note &lt;b&gt;</pre>');
    // The result objects are not shown a second time, nor the text as preformatted tables.
    expect(page).not.toContain('123,456');
    expect(page).not.toContain('CB Type     |');
  });

  test('a "how to read this" header: the metric, which way is better, one line per candidate', () => {
    const page = renderReport({
      suite: 'closed-loop',
      config: {},
      guide: {
        metric: 'Delta',
        higherIsBetter: true,
        explanation: 'First part\nof it.\n\nSecond <part>.',
      },
      candidates: [
        { name: 'Levee', key: 'levee', description: 'the library' },
        { name: 'Prescient' },
      ],
      results: [],
      text: 'Candidate | Delta\nLevee     |  1.00\n',
      traces: [],
    });
    expect(page).toContain('<h2>How to read this page</h2>');
    expect(page).toContain('<p><strong>Delta: higher is better.</strong> First part of it.</p>');
    expect(page).toContain('<p>Second &lt;part&gt;.</p>');
    expect(page).toContain('<li><strong>Levee</strong> <code>levee</code>: the library</li>');
    expect(page).toContain('<li><strong>Prescient</strong></li>');
    const lower = renderReport({
      suite: 'prescient',
      config: {},
      guide: { metric: 'TotalPenalty', higherIsBetter: false, explanation: 'x' },
      results: [],
      traces: [],
    });
    expect(lower).toContain('<strong>TotalPenalty: lower is better.</strong>');
  });

  test('the configuration is labelled for people', () => {
    const page = renderReport({
      suite: 'closed-loop',
      config: {
        seed: 20241225,
        specs: { first: 0, last: 7, count: 8 },
        slo: { successRate: 0.9, timeoutMs: 1500 },
      },
      results: [],
      traces: [],
    });
    expect(page).toContain('<div><dt>Seed</dt><dd>20241225</dd></div>');
    expect(page).toContain('<div><dt>Specs</dt><dd>0-7 (8 of the workload&#39;s specs)</dd></div>');
    expect(page).toContain(
      '<div><dt>SLO</dt><dd>success rate 0.9, latency limit 1,500 ms</dd></div>',
    );
    expect(page).not.toContain('specs.first');
  });
});

describe('layouts', () => {
  const meshLike = (candidate: string): ChartTrace => ({
    candidate,
    seconds: 40,
    crashes: [{ startS: 12.5, endS: 132.5, label: 'edge-api' }],
    columns: {
      offered: Uint32Array.from({ length: 40 }, () => 300),
      admitted: Uint32Array.from({ length: 40 }, (_, i) => 300 - i),
      'replicas:edge-api': Uint16Array.from({ length: 40 }, () => 5),
      down: Float64Array.from({ length: 40 }, (_, i) => (i >= 12 ? 1 : 0)),
      notInTheLayout: Float64Array.from({ length: 40 }, () => 1),
    },
    layout: meshLayout(
      ['edge-api', 'db'],
      ['edge-api'],
      [
        { startS: 0, label: 'A steady' },
        { startS: 30, label: 'B surge' },
      ],
    ),
  });

  test('a trace that carries a layout: its columns, labelled crashes, marks and note', () => {
    const html = renderReport({
      suite: 'mesh',
      config: {},
      results: [{ candidate: 'No-Gov' }],
      traces: [meshLike('No-Gov'), meshLike('Levee')],
    });
    const data = pageData(html) as ReturnType<typeof pageData> & {
      layout: { id: string; marks: unknown; runCharts: Array<{ key: string }> };
    };
    expect(data.layout.id).toBe('mesh');
    expect(data.layout.marks).toEqual([{ atS: 30, label: 'B surge' }]);
    expect(data.layout.runCharts.map((c) => c.key)).toEqual([
      'requests',
      'outcomes',
      'replicas',
      'calls',
    ]);
    expect(data.runs[0]!.crashes).toEqual([[12.5, 132.5, 'edge-api']]);
    expect(Object.keys(data.runs[0]!.fullCols).sort()).toEqual(
      ['admitted', 'down', 'offered', 'replicas:edge-api'].sort(),
    );
    expect(html).toContain('Dashed lines mark the scenario');
    expect(html).not.toContain('Capacity is the backend');
  });

  test("the traces' own layout; one layout per page; nothing to chart without traces", () => {
    const plain = syntheticTrace('Levee', 10);
    expect(pageLayout([plain]).id).toBe('closed-loop');
    expect(pageLayout([])).toEqual(NO_TRACES_LAYOUT);
    expect(() => pageLayout([plain, meshLike('No-Gov')])).toThrow(/share a layout/);
    expect(closedLoopLayout(100).runCharts.find((c) => c.key === 'limit')?.title).toMatch(
      /summed over the 100 instances/,
    );
    expect(prescientLayout().compare.map((c) => c.key)).toEqual([
      'admitted',
      'penalty',
      'bad',
      'lost',
    ]);
  });
});

describe('objectsToTable', () => {
  test('columns are the union of flattened keys in first-seen order', () => {
    const t = objectsToTable([
      { a: 1, b: { c: 2 } },
      { a: 3, d: 'x', b: { c: 4, e: [1, 2] } },
    ]);
    expect(t.columns).toEqual(['a', 'b.c', 'd', 'b.e']);
    expect(t.rows).toEqual([
      [1, 2, null, null],
      [3, 4, 'x', '[1,2]'],
    ]);
  });
});

describe('renderIndex', () => {
  test('links every page, relative and escaped', () => {
    const html = renderIndex([
      { href: 'closed-loop.html', title: 'closed-loop', description: 'the <reference> run' },
      { href: 'slo-sweep.html', title: 'slo-sweep' },
    ]);
    expect(html).toContain('<a href="closed-loop.html">closed-loop</a>');
    expect(html).toContain('<a href="slo-sweep.html">slo-sweep</a>');
    expect(html).toContain('the &lt;reference&gt; run');
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe('suite page (suite-page.ts)', () => {
  test('printed tables, the guide and candidates, traces labelled by job', () => {
    const trace = syntheticTrace('Levee', 100);
    const html = suiteReportHtml({
      suite: { name: 'slo-sweep', summary: 'Levee at five SLOs' },
      config: { seed: 20241225 },
      guide: { metric: 'Delta', higherIsBetter: true, explanation: 'Delta is…' },
      candidates: [{ name: 'Levee', key: 'levee', description: 'the library' }],
      text: 'SLO  |    Levee\n0.99 | 10932.40\n0.90 | 10339.70\n',
      jobs: [{ label: 'SLO 0.99 / Levee' }, { label: 'SLO 0.90 / Levee' }],
      results: [
        { candidate: 'Levee', delta: 1 },
        { candidate: 'Levee', delta: 2 },
      ],
      traces: [trace, { ...trace, candidate: 'Levee' }],
      clockStartS: 72_000,
    });
    expect(html).toContain('<title>levee-bench slo-sweep</title>');
    expect(html).toContain(
      '<td class="name"><span class="w">0.99</span></td><td class="num">10932.40</td>',
    );
    expect(html).toContain('<strong>Delta: higher is better.</strong> Delta is…');
    expect(html).toContain('<li><strong>Levee</strong> <code>levee</code>: the library</li>');
    // The per-job results are in the JSON, not in a second table.
    expect(html).not.toContain('SLO 0.99 / Levee</td>');
    expect(pageData(html).runs.map((r) => r.label)).toEqual([
      'SLO 0.99 / Levee',
      'SLO 0.90 / Levee',
    ]);
    expect(pageData(html).clockStartS).toBe(72_000);
  });

  test('a trace shared by two jobs is charted once; no clock means elapsed time', () => {
    const trace = syntheticTrace('Levee', 100);
    const html = suiteReportHtml({
      suite: { name: 'all-shared', summary: 'one simulation for two jobs' },
      config: {},
      text: '',
      jobs: [{ label: 'first' }, { label: 'second' }],
      results: [{ candidate: 'Levee' }, { candidate: 'Levee' }],
      traces: [trace, trace],
    });
    expect(pageData(html).runs.map((r) => r.label)).toEqual(['first']);
    expect(pageData(html).clockStartS).toBeNull();
  });
});
