/**
 * What a candidate module says about itself: one `CandidateEntry` per
 * configuration it offers (name, group, costs, factory). The registry lists
 * the modules' entries in order; the command-line groups and the mesh's peer
 * governors are computed from that list, so a new candidate is its own module
 * plus one line in `registry.ts`.
 *
 * This file imports nothing but the `Candidate` interface, so every candidate
 * module can import it without an import cycle through the registry.
 */
import type { Candidate } from './candidate.js';

/** The single SLO Levee is built with (given on the command line). */
export interface LeveeSlo {
  /** Target fraction of successful requests, e.g. 0.9. */
  successRate: number;
  /** Latency limit in milliseconds, e.g. 1500. */
  timeoutMs: number;
}

export interface CandidateOptions {
  /** The SLO given on the command line (success rate, timeout in ms). */
  slo: LeveeSlo;
}

/**
 * Where a candidate belongs, in the order the registry lists them:
 * - `published`: the candidates of the original's tables (No-CB, Levee, the
 *   two static breakers), every suite's default;
 * - `libraries`: real npm breakers on simulated time (opossum, cockatiel);
 * - `limiters`: reference adaptive limiters written from their published
 *   descriptions (Gradient2, AIMD, Vegas, Envoy's gradient, the SRE throttle,
 *   failsafe-go's limiter and throttler, brpc's auto limiter).
 *
 * `libraries` and `limiters` together are the peers: opt-in on the command
 * line, and usable as mesh governors.
 */
export type CandidateGroup = 'published' | 'libraries' | 'limiters';

/** The groups in registry order. */
export const GROUP_ORDER: readonly CandidateGroup[] = Object.freeze([
  'published',
  'libraries',
  'limiters',
]);

interface EntryFields {
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

/** A candidate of the published tables (the mesh has its own published governors). */
export interface PublishedEntry extends EntryFields {
  readonly group: 'published';
  readonly meshCost?: never;
}

/** A peer: a library breaker or a reference limiter, also usable as a mesh governor. */
export interface PeerEntry extends EntryFields {
  readonly group: 'libraries' | 'limiters';
  /**
   * Cost of a mesh job with this peer as the governor, per expected entry
   * arrival, on the scale of the closed-loop jobs (about one unit per
   * closed-loop request). A scheduling hint only: longer jobs start first.
   */
  readonly meshCost: number;
}

export type CandidateEntry = PublishedEntry | PeerEntry;

/** True for a peer (group `libraries` or `limiters`). */
export function isPeerEntry(entry: CandidateEntry): entry is PeerEntry {
  return entry.group !== 'published';
}

/**
 * The named groups `--candidates` accepts besides single names, computed from
 * `entries` (in their order): `published`, `libraries`, `limiters`, then
 * `peers` (libraries and limiters) and `all` (every entry).
 */
export function candidateGroups(
  entries: readonly CandidateEntry[],
): Record<'published' | 'libraries' | 'limiters' | 'peers' | 'all', string[]> {
  const keysIn = (groups: readonly CandidateGroup[]): string[] =>
    entries.filter((e) => groups.includes(e.group)).map((e) => e.key);
  return {
    published: keysIn(['published']),
    libraries: keysIn(['libraries']),
    limiters: keysIn(['limiters']),
    peers: keysIn(['libraries', 'limiters']),
    all: entries.map((e) => e.key),
  };
}

/**
 * Throws unless the keys are unique and the entries come group by group in
 * `GROUP_ORDER` (so `published` followed by `peers` is `all`, in order).
 */
export function checkEntries(entries: readonly CandidateEntry[]): void {
  const seen = new Set<string>();
  let rank = 0;
  for (const e of entries) {
    if (seen.has(e.key)) throw new Error(`candidate "${e.key}" is listed twice`);
    seen.add(e.key);
    const r = GROUP_ORDER.indexOf(e.group);
    if (r < rank) {
      throw new Error(
        `candidate "${e.key}" (group ${e.group}) comes after the ${GROUP_ORDER[rank]} group`,
      );
    }
    rank = r;
  }
}
