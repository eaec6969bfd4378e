/**
 * The configuration at the top of a report page, labelled for people: the
 * options every suite shares get their usual names ("Seed", "Specs", "SLO"),
 * any other field a label made from its name (`baseQueueDepth` → "Base queue
 * depth"), and values their units (`timeoutMs` 1500 → "1,500 ms", `widthNs`
 * 1e9 → "1 s"). Knows no suite: the suites' `config` blocks are whatever
 * their JSON holds.
 */

/** One labelled line of the configuration. */
export interface ConfigEntry {
  label: string;
  value: string;
}

/** The options shared by the suites (src/cli/args.ts), by their JSON `config` key. */
const SHARED: Readonly<Record<string, { label: string; value?: (v: unknown) => string }>> = {
  seed: { label: 'Seed' },
  workload: { label: 'Workload' },
  specs: { label: 'Specs', value: specsText },
  backend: { label: 'Backend', value: backendText },
  candidates: { label: 'Candidates' },
  slo: { label: 'SLO', value: sloText },
};

/** Label of a field with no label of its own: its camelCase name as words, unit suffix dropped. */
export function labelOf(key: string): string {
  const bare = unitOf(key) === undefined ? key : key.slice(0, -unitOf(key)!.suffix.length);
  const words = bare
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  const text = words === '' ? key : words;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A time unit a field's name ends in (`timeoutMs`, `durationS`, `widthNs`). */
function unitOf(key: string): { suffix: string; toSeconds: number } | undefined {
  if (/[a-z]Ns$/.test(key)) return { suffix: 'Ns', toSeconds: 1e-9 };
  if (/[a-z]Ms$/.test(key)) return { suffix: 'Ms', toSeconds: 1e-3 };
  if (/[a-z]S$/.test(key)) return { suffix: 'S', toSeconds: 1 };
  return undefined;
}

/** A number for people: integers with thousands separators, fractions to 12 significant digits. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return String(Number(n.toPrecision(12)));
}

/** `value` of the field `key`: times with their unit (ms below a second, else s), lists joined. */
export function valueText(key: string, value: unknown): string {
  const unit = unitOf(key);
  if (typeof value === 'number' && unit !== undefined) {
    const seconds = value * unit.toSeconds;
    if (unit.suffix === 'Ms' || (seconds !== 0 && Math.abs(seconds) < 1)) {
      return `${numberText(seconds * 1000)} ms`;
    }
    return `${numberText(seconds)} s`;
  }
  if (typeof value === 'number') return String(Number(value.toPrecision(12)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => valueText(key, v)).join(', ');
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${labelOf(k).toLowerCase()} ${valueText(k, v)}`,
    );
    return parts.length === 0 ? '—' : parts.join('; ');
  }
  return String(value);
}

function specsText(v: unknown): string {
  const s = v as { first?: unknown; last?: unknown; count?: unknown } | null;
  if (s === null || typeof s !== 'object' || typeof s.first !== 'number') return valueText('', v);
  const range = s.first === s.last ? String(s.first) : `${s.first}-${String(s.last)}`;
  return typeof s.count === 'number' ? `${range} (${s.count} of the workload's specs)` : range;
}

function backendText(v: unknown): string {
  if (v === null || typeof v !== 'object') return valueText('', v);
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return 'reference';
  return `reference, with ${entries.map(([k, x]) => `${k} = ${valueText('', x)}`).join(', ')}`;
}

function sloText(v: unknown): string {
  const s = v as { successRate?: unknown; timeoutMs?: unknown } | null;
  if (s === null || typeof s !== 'object') return valueText('', v);
  const parts: string[] = [];
  if (typeof s.successRate === 'number') parts.push(`success rate ${s.successRate}`);
  if (typeof s.timeoutMs === 'number')
    parts.push(`latency limit ${valueText('timeoutMs', s.timeoutMs)}`);
  return parts.length === 0 ? valueText('slo', v) : parts.join(', ');
}

/** The labelled lines of a `config` block (a non-object gives one "Configuration" line). */
export function configEntries(config: unknown): ConfigEntry[] {
  if (config === null || config === undefined) return [];
  if (typeof config !== 'object' || Array.isArray(config)) {
    return [{ label: 'Configuration', value: valueText('', config) }];
  }
  return Object.entries(config as Record<string, unknown>).map(([key, value]) => {
    const shared = SHARED[key];
    return {
      label: shared?.label ?? labelOf(key),
      value: shared?.value?.(value) ?? valueText(key, value),
    };
  });
}
