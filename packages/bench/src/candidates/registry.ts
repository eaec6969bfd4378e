/**
 * The candidates the benchmark knows, by the names used on the command line.
 * Each entry builds a fresh breaker; only Levee uses the SLO, the others are
 * fixed configurations.
 */
import type { Candidate } from './candidate.js';
import { createLeveeCandidate, type LeveeSlo } from './levee.js';
import { NoCB } from './no-cb.js';
import { PEER_CANDIDATES, PEER_KEYS } from './peers/index.js';
import { STATIC_BAU, STATIC_PEAK, StaticCB } from './static-cb.js';

export interface CandidateOptions {
  /** The SLO given on the command line (success rate, timeout in ms). */
  slo: LeveeSlo;
}

export interface CandidateEntry {
  /** Command-line name, e.g. `static-peak`. */
  readonly key: string;
  /** Name shown in the tables, e.g. `Static-Peak`. */
  readonly displayName: string;
  /** One-line description for help texts. */
  readonly description: string;
  /**
   * True when the candidate does not depend on the SLO (a fixed
   * configuration). The suites then run it once per configuration whatever the
   * SLO, and reuse the result (e.g. the static breakers in the SLO sweep).
   * Left out means "depends on the SLO".
   */
  readonly ignoresSlo?: boolean;
  /**
   * CPU time of a simulation relative to No-CB's at the same load (default 1;
   * a scheduling hint only: longer jobs start first).
   */
  readonly relativeCost?: number;
  create(options: CandidateOptions): Candidate;
}

/** All candidates, in the default run (and print) order of the published tables. */
export const CANDIDATES: readonly CandidateEntry[] = [
  {
    key: 'no-cb',
    displayName: 'No-CB',
    description: 'no breaker: admits everything (negative control)',
    ignoresSlo: true,
    relativeCost: 0.8,
    create: () => new NoCB(),
  },
  {
    key: 'levee',
    displayName: 'Levee',
    description: '@leveejs/levee built with the given SLO',
    relativeCost: 1.5,
    create: ({ slo }) => createLeveeCandidate(slo),
  },
  {
    key: 'static-bau',
    displayName: 'Static-BAU',
    description: 'consecutive-failure breaker tuned for 100-800 RPS',
    ignoresSlo: true,
    create: () => new StaticCB('Static-BAU', STATIC_BAU),
  },
  {
    key: 'static-peak',
    displayName: 'Static-Peak',
    description: 'consecutive-failure breaker tuned for 2,000-5,000 RPS',
    ignoresSlo: true,
    create: () => new StaticCB('Static-Peak', STATIC_PEAK),
  },
  // Competitors from the ecosystem (opt-in: name them with --candidates).
  ...PEER_CANDIDATES,
];

/**
 * Named groups `--candidates` accepts besides single names (expanded in this
 * order, members already listed skipped):
 * - `published`: the candidates of the original's tables (No-CB, Levee and
 *   the two static breakers) — every suite's default;
 * - `libraries`: the real npm breakers, opossum and cockatiel, each with its
 *   defaults and tuned;
 * - `limiters`: the reference adaptive limiters (Gradient2, AIMD, Vegas,
 *   Envoy's gradient, the SRE throttle);
 * - `peers`: `libraries` and `limiters`;
 * - `all`: every candidate.
 */
export const CANDIDATE_GROUPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  published: ['no-cb', 'levee', 'static-bau', 'static-peak'],
  libraries: ['opossum-default', 'opossum-tuned', 'cockatiel-default', 'cockatiel-tuned'],
  limiters: ['gradient2', 'aimd', 'vegas', 'envoy-gradient', 'sre-throttle'],
  peers: PEER_KEYS,
  all: CANDIDATES.map((c) => c.key),
});

/** Command-line names of all candidates, in default order. */
export function candidateNames(): string[] {
  return CANDIDATES.map((c) => c.key);
}

/** The entry named `name`; throws, listing the known names, if there is none. */
export function getCandidate(name: string): CandidateEntry {
  const entry = CANDIDATES.find((c) => c.key === name);
  if (entry === undefined) {
    throw new Error(`unknown candidate "${name}"; known: ${candidateNames().join(', ')}`);
  }
  return entry;
}

/** A fresh breaker for the candidate named `name`. */
export function createCandidate(name: string, options: CandidateOptions): Candidate {
  return getCandidate(name).create(options);
}

/** Whether the candidate named `name` depends on the SLO it is given. */
export function usesSlo(name: string): boolean {
  return getCandidate(name).ignoresSlo !== true;
}
