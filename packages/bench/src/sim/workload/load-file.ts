import { readFileSync } from 'node:fs';
import {
  checkNoOverlap,
  FaultError,
  type FaultWindow,
  faultEndS,
  parseFaultList,
  splitAtSpecs,
} from './faults.js';
import {
  describeValue,
  expectedRequests,
  type LoadSpec,
  totalDurationS,
  validateLoadSpecs,
  WorkloadError,
} from './load-spec.js';

const TOP_LEVEL_KEYS = ['name', 'description', 'units', 'checks', 'specs', 'faults'] as const;
const CHECK_KEYS = ['count', 'totalDurationS', 'expectedRequests', 'peakRpm'] as const;

/**
 * Validates parsed workload JSON. Accepts either a bare array of specs or an
 * object in the shape of `cyber-monday.json`:
 * `{ name?, description?, units?, checks?, faults?, specs: LoadSpec[] }`
 * (other top-level keys are rejected by name). When `checks` is present, each
 * of its known entries (`count`, `totalDurationS`, `expectedRequests` = Σ
 * rpm·durationS/60, `peakRpm`) must match the specs, so a stale or corrupted
 * file is caught before anything runs.
 *
 * `faults` lists dependency-fault windows in workload time (`startS` from the
 * start of spec 0; src/sim/workload/faults.ts). They must end within the
 * workload and overlap neither each other nor a spec's own `faults`; each is
 * split at spec boundaries and stored on the specs it covers (start relative
 * to the spec), so a `--specs` slice keeps exactly the parts inside it.
 */
export function parseWorkload(data: unknown, source = 'workload'): LoadSpec[] {
  if (Array.isArray(data)) {
    return validateLoadSpecs(data, source);
  }
  if (typeof data !== 'object' || data === null) {
    throw new WorkloadError(
      `${source}: expected an object with a "specs" array, or an array of specs (got ${describeValue(data)})`,
    );
  }
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      throw new WorkloadError(
        `${source}: unknown top-level field ${JSON.stringify(key)} (allowed: ${TOP_LEVEL_KEYS.join(', ')})`,
      );
    }
  }
  if (!('specs' in obj)) {
    throw new WorkloadError(`${source}: missing field "specs"`);
  }
  for (const key of ['name', 'description'] as const) {
    if (key in obj && typeof obj[key] !== 'string') {
      throw new WorkloadError(
        `${source}: ${key} must be a string (got ${describeValue(obj[key])})`,
      );
    }
  }
  if (!Array.isArray(obj.specs)) {
    throw new WorkloadError(`${source}: specs must be an array (got ${describeValue(obj.specs)})`);
  }
  const specs = validateLoadSpecs(obj.specs, source);
  if ('checks' in obj) {
    verifyChecks(obj.checks, specs, source);
  }
  if ('faults' in obj) {
    attachFaults(obj.faults, specs, source);
  }
  return specs;
}

/** Validates the top-level `faults` and stores their pieces on `specs` (see `parseWorkload`). */
function attachFaults(data: unknown, specs: LoadSpec[], source: string): void {
  let windows: FaultWindow[];
  try {
    windows = parseFaultList(data, source);
  } catch (err) {
    if (err instanceof FaultError) throw new WorkloadError(err.message);
    throw err;
  }
  const total = totalDurationS(specs);
  windows.forEach((w, i) => {
    if (faultEndS(w) > total) {
      throw new WorkloadError(
        `${source}: faults[${i}] must end within the workload (startS + durationS = ${faultEndS(w)} > ${total} s)`,
      );
    }
  });
  // The specs' own windows, in workload time, must not overlap the top-level ones.
  const all: FaultWindow[] = [...windows];
  const labels = windows.map((_, i) => `faults[${i}]`);
  let startS = 0;
  specs.forEach((spec, i) => {
    spec.faults?.forEach((w, j) => {
      all.push({ ...w, startS: startS + w.startS });
      labels.push(`spec ${i}: faults[${j}]`);
    });
    startS += spec.durationS;
  });
  try {
    checkNoOverlap(all, (i) => labels[i]!, `${source}: `);
  } catch (err) {
    if (err instanceof FaultError) throw new WorkloadError(err.message);
    throw err;
  }
  const pieces = splitAtSpecs(windows, specs);
  specs.forEach((spec, i) => {
    const mine = pieces[i]!;
    if (mine.length === 0) return;
    const merged = [...(spec.faults ?? []), ...mine];
    merged.sort((a, b) => a.startS - b.startS);
    spec.faults = merged;
  });
}

function verifyChecks(checks: unknown, specs: readonly LoadSpec[], source: string): void {
  if (typeof checks !== 'object' || checks === null || Array.isArray(checks)) {
    throw new WorkloadError(`${source}: checks must be an object (got ${describeValue(checks)})`);
  }
  const c = checks as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!(CHECK_KEYS as readonly string[]).includes(key)) {
      throw new WorkloadError(
        `${source}: unknown field checks.${key} (allowed: ${CHECK_KEYS.join(', ')})`,
      );
    }
  }
  let peak = 0;
  for (const s of specs) {
    peak = Math.max(peak, s.rpm);
  }
  const actual: Record<(typeof CHECK_KEYS)[number], number> = {
    count: specs.length,
    totalDurationS: totalDurationS(specs),
    expectedRequests: expectedRequests(specs),
    peakRpm: peak,
  };
  for (const key of CHECK_KEYS) {
    if (key in c && c[key] !== actual[key]) {
      throw new WorkloadError(
        `${source}: checks.${key} does not match the specs (file says ${describeValue(c[key])}, specs give ${actual[key]})`,
      );
    }
  }
}

/**
 * Reads and validates a workload JSON file (see `parseWorkload` for the
 * accepted shapes). Throws a `WorkloadError` naming the file if it cannot be
 * read, is not JSON, or fails validation; nothing is returned for a bad file.
 */
export function loadWorkloadFile(path: string): LoadSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new WorkloadError(`${path}: cannot read workload file (${reason})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new WorkloadError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseWorkload(data, path);
}
