/**
 * `--backend FILE`: a JSON object overriding any parameter of the closed-loop
 * backend (docs/BENCHMARKS.md §5.4), e.g.
 *
 * ```json
 * { "throughputPerReplica": 300, "queueDepthPerReplica": 20, "maxReplicas": 16,
 *   "provisioningLagS": 60, "crashLoadThreshold": 4 }
 * ```
 *
 * Every key must be a `BackendConfig` field (unknown keys are rejected by
 * name); each value is checked for type and range and a bad one is reported
 * with the file, the key and the value. Parameters not given keep the
 * reference values of `DEFAULT_BACKEND_CONFIG`. `faults` (optional) lists
 * dependency-fault windows in run time (src/sim/workload/faults.ts), e.g.
 * `"faults": [{ "kind": "outage", "startS": 1200, "durationS": 300 }]`;
 * bad kinds, fields, ranges and overlapping windows are reported by index.
 */
import { readFileSync } from 'node:fs';
import { FaultError, parseFaultList } from '../workload/faults.js';
import { describeValue } from '../workload/load-spec.js';
import {
  type BackendConfig,
  type BackendParameter,
  DEFAULT_BACKEND_CONFIG,
  secondsToNs,
} from './backend-config.js';

/** Thrown for an unreadable or invalid backend file. */
export class BackendFileError extends Error {
  override readonly name = 'BackendFileError';
}

/** Longest duration accepted, seconds (keeps every nanosecond time exact). */
const MAX_SECONDS = 8_000_000;
/** Upper bound on replicas, slots per replica and queue depth per replica. */
const MAX_COUNT = 100_000;

type Check = (value: unknown) => string | undefined;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function intInRange(min: number, max: number): Check {
  return (v) =>
    isNumber(v) && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `must be an integer in [${min}, ${max}]`;
}

function positive(max = Number.MAX_VALUE): Check {
  return (v) =>
    isNumber(v) && v > 0 && v <= max
      ? undefined
      : max === Number.MAX_VALUE
        ? 'must be a number > 0'
        : `must be a number > 0 and <= ${max}`;
}

function fraction(): Check {
  return (v) => (isNumber(v) && v > 0 && v <= 1 ? undefined : 'must be a number in (0, 1]');
}

/** Seconds in [0, MAX_SECONDS] (or (0, …] with at least 1 ns when `positiveNs`). */
function seconds(positiveNs = false): Check {
  return (v) => {
    if (!isNumber(v) || v < 0 || v > MAX_SECONDS) {
      return `must be a number of seconds in [0, ${MAX_SECONDS}]`;
    }
    if (positiveNs && secondsToNs(v) < 1) return 'must be at least 1e-9 seconds (1 ns)';
    return undefined;
  };
}

const CHECKS: Record<BackendParameter, Check> = {
  throughputPerReplica: positive(1e9),
  queueDepthPerReplica: intInRange(0, MAX_COUNT),
  minReplicas: intInRange(1, MAX_COUNT),
  maxReplicas: intInRange(1, MAX_COUNT),
  targetUtilization: positive(100),
  scaleDownUtilizationFactor: fraction(),
  evaluationIntervalS: seconds(),
  scaleDownWindowS: seconds(),
  scaleDownDelayS: seconds(),
  provisioningLagS: seconds(),
  demandWindowS: seconds(true),
  demandSmoothing: fraction(),
  crashLoadThreshold: positive(),
  crashSustainS: seconds(),
  crashDowntimeS: seconds(),
  loadHalfLifeS: seconds(true),
  loadEwmaLn2: positive(),
  slotsPerReplica: (v) =>
    v === 'littles-law' || (isNumber(v) && Number.isInteger(v) && v >= 1 && v <= MAX_COUNT)
      ? undefined
      : `must be "littles-law" or an integer in [1, ${MAX_COUNT}]`,
};

/** The parameter names, in the order of `DEFAULT_BACKEND_CONFIG`. */
export const BACKEND_PARAMETERS: readonly BackendParameter[] = Object.keys(
  DEFAULT_BACKEND_CONFIG,
) as BackendParameter[];

/** Every key a backend file may hold: the parameters, then `faults` (src/sim/workload/faults.ts). */
export const BACKEND_FILE_KEYS: readonly string[] = [...BACKEND_PARAMETERS, 'faults'];

/**
 * Validates parsed JSON as backend overrides and returns them (keys in the
 * order of `DEFAULT_BACKEND_CONFIG`). Throws `BackendFileError` on the first
 * problem, naming `source`, the key and the value.
 */
export function parseBackendOverrides(data: unknown, source = 'backend'): Partial<BackendConfig> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BackendFileError(
      `${source}: expected a JSON object of backend parameters (got ${describeValue(data)})`,
    );
  }
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!BACKEND_FILE_KEYS.includes(key)) {
      throw new BackendFileError(
        `${source}: unknown backend parameter ${JSON.stringify(key)} (known: ${BACKEND_FILE_KEYS.join(', ')})`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of BACKEND_PARAMETERS) {
    if (!(key in obj)) continue;
    const value = obj[key];
    const problem = CHECKS[key](value);
    if (problem !== undefined) {
      throw new BackendFileError(`${source}: ${key} ${problem} (got ${describeValue(value)})`);
    }
    out[key] = value;
  }
  const overrides = out as Partial<BackendConfig>;
  if ('faults' in obj) {
    try {
      const faults = parseFaultList(obj.faults, source);
      if (faults.length > 0) overrides.faults = faults;
    } catch (err) {
      if (err instanceof FaultError) throw new BackendFileError(err.message);
      throw err;
    }
  }
  const min = overrides.minReplicas ?? DEFAULT_BACKEND_CONFIG.minReplicas;
  const max = overrides.maxReplicas ?? DEFAULT_BACKEND_CONFIG.maxReplicas;
  if (max < min) {
    throw new BackendFileError(
      `${source}: maxReplicas must be >= minReplicas (got maxReplicas=${max}, minReplicas=${min})`,
    );
  }
  return overrides;
}

/** Reads and validates a backend file (see `parseBackendOverrides`). */
export function loadBackendFile(path: string): Partial<BackendConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new BackendFileError(`${path}: cannot read backend file (${reason})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new BackendFileError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseBackendOverrides(data, path);
}

/**
 * The full configuration for `overrides`, with keys in the order of
 * `DEFAULT_BACKEND_CONFIG`, then `faults` only when there are any (so a
 * configuration without faults is the same object, and the same JSON, as
 * before the fault model existed).
 */
export function canonicalBackendConfig(overrides: Partial<BackendConfig>): BackendConfig {
  const merged: Record<string, unknown> = {};
  for (const key of BACKEND_PARAMETERS) merged[key] = overrides[key] ?? DEFAULT_BACKEND_CONFIG[key];
  if (overrides.faults !== undefined && overrides.faults.length > 0) {
    merged.faults = overrides.faults.map((w) => ({ ...w }));
  }
  return merged as unknown as BackendConfig;
}
