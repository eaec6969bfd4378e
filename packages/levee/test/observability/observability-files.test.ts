/**
 * The Grafana dashboard and the Prometheus alert rules shipped under
 * packages/levee/observability/ (#14): every metric, label and label value
 * their queries use is one the Prometheus binding exports, counters are only
 * read through rate()/increase(), and the files keep the shape Grafana and
 * Prometheus load. The truth is the metric table itself, read by emitting the
 * series of a real instance. When `promtool` is installed, the rules are also
 * checked and unit-tested with it (alerts.promtool.yml).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Levee } from '../../src/index.js';
import { METRICS } from '../../src/observability/metrics.js';
import { readSource } from '../../src/observability/source.js';
import { SLO_99 } from './metrics-fixtures.js';

const dir = new URL('../../observability/', import.meta.url);
const dashboard = JSON.parse(readFileSync(new URL('grafana-dashboard.json', dir), 'utf8'));
const alertsText = readFileSync(new URL('alerts.yml', dir), 'utf8');

// ---------------------------------------------------------------------------
// The exported metrics: names, labels and the values each label takes.
// ---------------------------------------------------------------------------

interface Exported {
  readonly counter: boolean;
  readonly labels: ReadonlySet<string>;
  /** Values of the metric's own labels (the key label takes any value). */
  readonly values: ReadonlyMap<string, ReadonlySet<string>>;
}

function exportedMetrics(): Map<string, Exported> {
  const [entry] = readSource(new Map([['k', new Levee(SLO_99)]]));
  const out = new Map<string, Exported>();
  for (const spec of METRICS) {
    const values = new Map<string, Set<string>>();
    for (const l of spec.labels) values.set(l.prom, new Set());
    // Every value a label can take: the table emits all of them for every
    // instance (the four states, both decisions, the three outcomes, every
    // known transition, with 0 until they happen).
    spec.read(entry!, (_value, ...labelValues) => {
      spec.labels.forEach((l, i) => {
        values.get(l.prom)!.add(labelValues[i]!);
      });
    });
    out.set(`levee_${spec.prom}`, {
      counter: spec.kind === 'counter',
      labels: new Set(['key', ...spec.labels.map((l) => l.prom)]),
      values,
    });
  }
  return out;
}

const EXPORTED = exportedMetrics();

/** The problems of one PromQL expression (empty when it only uses what is exported). */
function promqlProblems(expr: string, legend = ''): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  for (const m of expr.matchAll(/\blevee_[a-z_]+\b/g)) {
    const name = m[0];
    const metric = EXPORTED.get(name);
    if (metric === undefined) {
      problems.push(`unknown metric ${name}`);
      continue;
    }
    used.add(name);
    const before = expr.slice(0, m.index);
    if (metric.counter && !/\b(rate|increase|irate)\(\s*$/.test(before)) {
      problems.push(`counter ${name} read without rate()/increase()`);
    }
    if (!metric.counter && /\b(rate|increase|irate)\(\s*$/.test(before)) {
      problems.push(`rate()/increase() of the gauge ${name}`);
    }
  }
  if (used.size === 0) problems.push('uses no Levee metric');
  const union = new Set([...used].flatMap((n) => [...EXPORTED.get(n)!.labels]));
  // Selectors: each matcher names a label of its metric and, for the
  // metric's own labels, values it takes.
  for (const sel of expr.matchAll(/\b(levee_[a-z_]+)\s*\{([^}]*)\}/g)) {
    const metric = EXPORTED.get(sel[1]!);
    if (metric === undefined) continue;
    for (const m of sel[2]!.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)) {
      const [, label, op, value] = m as unknown as [string, string, string, string];
      if (!metric.labels.has(label)) {
        problems.push(`${sel[1]} has no label ${label}`);
        continue;
      }
      const known = metric.values.get(label);
      if (known === undefined) continue; // the key label
      const wanted = op.endsWith('~') ? value.split('|') : [value];
      for (const v of wanted) {
        if (!known.has(v)) problems.push(`${sel[1]}{${label}} never takes the value ${v}`);
      }
    }
  }
  // Grouping and matching clauses name labels of the metrics in the expression.
  for (const m of expr.matchAll(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
  )) {
    for (const label of m[2]!.split(',').map((l) => l.trim())) {
      if (label !== '' && !union.has(label)) problems.push(`${m[1]} (${label}): no such label`);
    }
  }
  for (const m of legend.matchAll(/\{\{\s*(?:\$labels\.)?(\w+)\s*\}\}/g)) {
    if (!union.has(m[1]!)) problems.push(`legend names ${m[1]}, no such label`);
  }
  return problems;
}

describe('the query checker itself', () => {
  it('accepts exported metrics and rejects unknown metrics, labels and values', () => {
    expect(promqlProblems('sum by (key) (rate(levee_calls_total{outcome="failure"}[5m]))')).toEqual(
      [],
    );
    expect(promqlProblems('levee_goodput{key="a"}')).toEqual([
      'unknown metric levee_goodput',
      'uses no Levee metric',
    ]);
    expect(promqlProblems('levee_state{status="OPEN"}')).toEqual([
      'levee_state has no label status',
    ]);
    expect(promqlProblems('levee_state{state=~"OPEN|BROKEN"}')).toEqual([
      'levee_state{state} never takes the value BROKEN',
    ]);
    expect(promqlProblems('levee_calls_total')).toEqual([
      'counter levee_calls_total read without rate()/increase()',
    ]);
    expect(promqlProblems('rate(levee_inflight[5m])')).toEqual([
      'rate()/increase() of the gauge levee_inflight',
    ]);
    expect(promqlProblems('sum by (route) (levee_inflight)')).toEqual([
      'by (route): no such label',
    ]);
    expect(promqlProblems('levee_inflight', '{{service}}')).toEqual([
      'legend names service, no such label',
    ]);
  });
});

// ---------------------------------------------------------------------------
// The Grafana dashboard
// ---------------------------------------------------------------------------

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}

/** Grafana's reference to the data-source variable (a Grafana placeholder, not a JS template). */
const DATASOURCE = ['$', '{datasource}'].join('');
const panels = dashboard.panels as Panel[];
const queryPanels = panels.filter((p) => p.type !== 'row');

describe('observability/grafana-dashboard.json', () => {
  it('is an importable Grafana dashboard with a data-source variable', () => {
    expect(dashboard).toMatchObject({ uid: 'leveejs-levee', title: 'Levee' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.id).toBeUndefined(); // set by Grafana on import
    const vars = dashboard.templating.list as Array<Record<string, unknown>>;
    expect(vars.find((v) => v.name === 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'prometheus',
    });
    const key = vars.find((v) => v.name === 'key');
    expect(key).toMatchObject({ type: 'query', multi: true, includeAll: true });
    expect(
      promqlProblems(String(key!.definition).replace(/^label_values\((\w+), (\w+)\)$/, '$1')),
    ).toEqual([]);
    expect(key!.definition).toBe('label_values(levee_state, key)');

    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const kinds = new Set(['row', 'stat', 'state-timeline', 'timeseries', 'table']);
    for (const p of panels) {
      expect(kinds.has(p.type), p.type).toBe(true);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(p.gridPos.w * p.gridPos.h, p.title).toBeGreaterThan(0);
    }
    for (const p of queryPanels) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: DATASOURCE });
      expect(p.targets!.length, p.title).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size, p.title).toBe(p.targets!.length);
      for (const t of p.targets!) expect(t.datasource, p.title).toEqual(p.datasource);
    }
  });

  it('uses only exported metrics, labels and label values, and every panel filters on $key', () => {
    for (const p of queryPanels) {
      for (const t of p.targets!) {
        expect(promqlProblems(t.expr, t.legendFormat), `${p.title}: ${t.expr}`).toEqual([]);
        for (const sel of t.expr.matchAll(/\blevee_[a-z_]+\s*\{([^}]*)\}/g)) {
          expect(sel[1], `${p.title}: ${t.expr}`).toContain('key=~"$key"');
        }
      }
    }
  });

  it('shows every exported metric: state, inflight vs limit, admissions, errors vs budget, goodput, latency, transitions', () => {
    const used = new Set(
      queryPanels.flatMap((p) =>
        p.targets!.flatMap((t) => [...t.expr.matchAll(/\blevee_[a-z_]+/g)].map((m) => m[0])),
      ),
    );
    expect([...used].sort()).toEqual([...EXPORTED.keys()].sort());
    expect(queryPanels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        'State over time',
        'Inflight vs limit',
        'Admissions per second',
        'Error rate vs budget',
        'Goodput',
        'Latency of successful calls',
        'Transitions',
      ]),
    );
  });
});

// ---------------------------------------------------------------------------
// The alert rules
// ---------------------------------------------------------------------------

type Yaml = string | Yaml[] | { [key: string]: Yaml };

/**
 * A parser for the YAML subset the rules file is written in: block mappings
 * and sequences by indentation, plain and double-quoted scalars, `|` literal
 * blocks, `#` comment lines. Anything else throws, so the file stays in it.
 */
function parseYaml(text: string): Yaml {
  const lines = text.split('\n').map((raw, i) => ({ raw, n: i + 1 }));
  let pos = 0;
  const indentOf = (s: string): number => s.length - s.trimStart().length;
  const skip = (): void => {
    while (pos < lines.length && /^\s*(#.*)?$/.test(lines[pos]!.raw)) pos++;
  };
  const scalar = (s: string, n: number): string => {
    const v = s.trim();
    if (v.startsWith('"')) {
      if (!v.endsWith('"') || v.length < 2) throw new Error(`line ${n}: unterminated string`);
      return JSON.parse(v) as string;
    }
    if (/^[[{'&*!|>%@`]/.test(v) || /:\s|\s#/.test(v)) {
      throw new Error(`line ${n}: outside the YAML subset: ${v}`);
    }
    return v;
  };
  const literal = (parentIndent: number): string => {
    const body: string[] = [];
    let indent = -1;
    while (pos < lines.length) {
      const { raw } = lines[pos]!;
      if (raw.trim() !== '' && indentOf(raw) <= parentIndent) break;
      if (raw.trim() !== '' && indent < 0) indent = indentOf(raw);
      body.push(raw.slice(Math.max(indent, 0)));
      pos++;
    }
    while (body.length > 0 && body.at(-1)!.trim() === '') body.pop();
    return `${body.join('\n')}\n`;
  };
  // A `key: value` entry whose text starts at column `indent`.
  const entry = (text: string, indent: number, n: number, into: Record<string, Yaml>): void => {
    const m = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/.exec(text);
    if (m === null) throw new Error(`line ${n}: expected "key: value", got ${text}`);
    const [, key, rest] = m as unknown as [string, string, string | undefined];
    if (key in into) throw new Error(`line ${n}: duplicate key ${key}`);
    if (rest === undefined || rest === '') into[key] = block(indent);
    else if (rest === '|') into[key] = literal(indent);
    else into[key] = scalar(rest, n);
  };
  // The block nested under a line at `parentIndent`.
  const block = (parentIndent: number): Yaml => {
    skip();
    if (pos >= lines.length) throw new Error('unexpected end of file');
    const indent = indentOf(lines[pos]!.raw);
    if (indent <= parentIndent)
      throw new Error(`line ${lines[pos]!.n}: expected an indented block`);
    if (lines[pos]!.raw.trimStart().startsWith('- ')) {
      const list: Yaml[] = [];
      while (pos < lines.length) {
        skip();
        if (pos >= lines.length) break;
        const { raw, n } = lines[pos]!;
        if (indentOf(raw) < indent) break;
        if (indentOf(raw) > indent || !raw.trimStart().startsWith('- ')) {
          throw new Error(`line ${n}: bad sequence item`);
        }
        pos++;
        const item: Record<string, Yaml> = {};
        entry(raw.trimStart().slice(2), indent + 2, n, item);
        mapInto(item, indent + 2);
        list.push(item);
      }
      return list;
    }
    const map: Record<string, Yaml> = {};
    mapInto(map, indent);
    return map;
  };
  // Further entries of a mapping whose keys sit at column `indent`.
  const mapInto = (map: Record<string, Yaml>, indent: number): void => {
    for (;;) {
      skip();
      if (pos >= lines.length) return;
      const { raw, n } = lines[pos]!;
      const i = indentOf(raw);
      if (i < indent || (i === indent && raw.trimStart().startsWith('- '))) return;
      if (i > indent) throw new Error(`line ${n}: unexpected indentation`);
      pos++;
      entry(raw.trimStart(), indent, n, map);
    }
  };
  skip();
  const root: Record<string, Yaml> = {};
  mapInto(root, 0);
  skip();
  if (pos < lines.length) throw new Error(`line ${lines[pos]!.n}: not parsed`);
  return root;
}

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

describe('observability/alerts.yml', () => {
  const parsed = parseYaml(alertsText) as unknown as {
    groups: Array<{ name: string; rules: Rule[] }>;
  };
  const rules = parsed.groups.flatMap((g) => g.rules);

  it('is a Prometheus rule file: groups of alerting rules with a for, a severity and a summary', () => {
    expect(Object.keys(parsed)).toEqual(['groups']);
    expect(parsed.groups.map((g) => g.name)).toEqual(['levee']);
    expect(rules.map((r) => r.alert)).toEqual([
      'LeveeBreakerOpen',
      'LeveeSustainedShedding',
      'LeveeErrorBudgetBurnFast',
      'LeveeErrorBudgetBurnSlow',
    ]);
    for (const r of rules) {
      expect(Object.keys(r).sort(), r.alert).toEqual([
        'alert',
        'annotations',
        'expr',
        'for',
        'labels',
      ]);
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket']).toContain(r.labels.severity);
      expect(r.annotations.summary, r.alert).toContain('{{ $labels.key }}');
      expect(r.annotations.description.length, r.alert).toBeGreaterThan(20);
    }
  });

  it('uses only exported metrics, labels and label values', () => {
    for (const r of rules) {
      const templates = `${r.annotations.summary} ${r.annotations.description}`;
      expect(promqlProblems(r.expr, templates), `${r.alert}: ${r.expr}`).toEqual([]);
    }
    const used = new Set(
      rules.flatMap((r) => [...r.expr.matchAll(/\blevee_[a-z_]+/g)].map((m) => m[0])),
    );
    expect([...used].sort()).toEqual([
      'levee_admissions_total',
      'levee_calls_total',
      'levee_error_budget_ratio',
      'levee_state',
    ]);
  });

  it('the subset parser rejects what it does not understand', () => {
    expect(() => parseYaml('a: [1, 2]\n')).toThrow(/outside the YAML subset/);
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow(/duplicate key/);
    expect(() => parseYaml('a:\n  - b: 1\n   c: 2\n')).toThrow(/line 3/);
    expect(parseYaml('a:\n  - b: "x: y"\n    c: |\n      1\n      2\n')).toEqual({
      a: [{ b: 'x: y', c: '1\n2\n' }],
    });
  });
});

let promtool: string | undefined;
try {
  execFileSync('promtool', ['--version'], { stdio: 'ignore' });
  promtool = 'promtool';
} catch {
  promtool = undefined;
}

describe.skipIf(promtool === undefined)('the alert rules under promtool', () => {
  it('pass `promtool check rules` and the unit tests of alerts.promtool.yml', () => {
    const rulesPath = fileURLToPath(new URL('alerts.yml', dir));
    const unitPath = fileURLToPath(new URL('./alerts.promtool.yml', import.meta.url));
    const check = execFileSync(promtool!, ['check', 'rules', rulesPath], { encoding: 'utf8' });
    expect(check).toMatch(/SUCCESS: 4 rules found/);
    const unit = execFileSync(promtool!, ['test', 'rules', unitPath], { encoding: 'utf8' });
    expect(unit).toMatch(/SUCCESS/);
  });
});
