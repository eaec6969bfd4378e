import type { FaultWindow } from '../workload/faults.js';

/**
 * Parameters of the closed-loop backend (docs/BENCHMARKS.md §5.4), as one typed
 * object so a sweep can override any of them. Durations are in seconds, as in
 * the spec's table; the models convert them to integer nanoseconds once.
 */
export interface BackendConfig {
  /** HPA capacity unit: requests per second one replica is assumed to serve. */
  throughputPerReplica: number;
  /** Queue slots per live replica (queue limit = this × live replicas). */
  queueDepthPerReplica: number;
  minReplicas: number;
  maxReplicas: number;
  /** HPA target utilisation; replicas wanted = ceil(rps / (this × throughput)). */
  targetUtilization: number;
  /** Scale down only if every sample in the window is below targetUtilization × this. */
  scaleDownUtilizationFactor: number;
  /** Seconds between HPA evaluations. */
  evaluationIntervalS: number;
  /** Seconds of utilisation history that must all be low before scaling down. */
  scaleDownWindowS: number;
  /** Seconds after a scale-up during which no scale-down happens. */
  scaleDownDelayS: number;
  /** Seconds from a scale-up decision until the new replicas are live. */
  provisioningLagS: number;
  /** Minimum span (s) of one demand-estimate window. */
  demandWindowS: number;
  /** Weight of the newest window in the demand (rps) EWMA. */
  demandSmoothing: number;
  /** EWMA load at or above which the crash timer runs. */
  crashLoadThreshold: number;
  /** Seconds the load must stay at/above the threshold before a crash. */
  crashSustainS: number;
  /** Seconds a crashed backend stays down. */
  crashDowntimeS: number;
  /** Half-life (s) of the load EWMA. */
  loadHalfLifeS: number;
  /** The ln 2 literal the load EWMA uses (upstream writes 0.693147). */
  loadEwmaLn2: number;
  /**
   * Worker slots per replica. `'littles-law'` derives them from the first
   * spec's latency profile: ceil(throughputPerReplica × analytic mean latency)
   * — 11 for the Cyber Monday workload.
   */
  slotsPerReplica: number | 'littles-law';
  /**
   * Dependency-fault windows in run time (src/sim/workload/faults.ts,
   * docs/BENCHMARKS.md §9.1). Optional and not part of the reference
   * configuration: absent (or empty), the fault model is off.
   */
  faults?: FaultWindow[];
}

/** The numeric / scalar parameters (every key of the reference configuration). */
export type BackendParameter = Exclude<keyof BackendConfig, 'faults'>;

/** The reference configuration of §5.4. */
export const DEFAULT_BACKEND_CONFIG: Readonly<Omit<BackendConfig, 'faults'>> = Object.freeze({
  throughputPerReplica: 150,
  queueDepthPerReplica: 50,
  minReplicas: 1,
  maxReplicas: 8,
  targetUtilization: 0.7,
  scaleDownUtilizationFactor: 0.9,
  evaluationIntervalS: 15,
  scaleDownWindowS: 300,
  scaleDownDelayS: 600,
  provisioningLagS: 30,
  demandWindowS: 1,
  demandSmoothing: 0.3,
  crashLoadThreshold: 3.0,
  crashSustainS: 30,
  crashDowntimeS: 300,
  loadHalfLifeS: 5,
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: upstream's literal, not ln 2 (§5.4, verified)
  loadEwmaLn2: 0.693147,
  slotsPerReplica: 'littles-law',
});

/** The defaults with `overrides` applied; rejects values the models cannot run with. */
export function resolveBackendConfig(overrides: Partial<BackendConfig> = {}): BackendConfig {
  const config: BackendConfig = { ...DEFAULT_BACKEND_CONFIG, ...overrides };
  const positiveInt = (name: keyof BackendConfig, value: number): void => {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`backend config ${name} must be a positive integer, got ${value}`);
    }
  };
  positiveInt('minReplicas', config.minReplicas);
  positiveInt('maxReplicas', config.maxReplicas);
  if (config.maxReplicas < config.minReplicas) {
    throw new RangeError('backend config maxReplicas must be >= minReplicas');
  }
  if (!Number.isInteger(config.queueDepthPerReplica) || config.queueDepthPerReplica < 0) {
    throw new RangeError('backend config queueDepthPerReplica must be a non-negative integer');
  }
  if (config.slotsPerReplica !== 'littles-law') {
    positiveInt('slotsPerReplica', config.slotsPerReplica);
  }
  return config;
}

/** Seconds → integer nanoseconds (exact for the whole-second values used here). */
export function secondsToNs(seconds: number): number {
  return Math.round(seconds * 1e9);
}
