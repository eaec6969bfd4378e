/**
 * The candidates the benchmark knows, by the names used on the command line.
 * Each candidate module exports its entries (`entry.ts`); this file lists the
 * modules in the default run (and print) order of the published tables, the
 * published candidates first, then the peers (libraries, then limiters).
 * Everything else here — the groups `--candidates` accepts, the peer list the
 * mesh turns into governors — is computed from that list. A new candidate is
 * its module plus one line in `ENTRIES` (and its import).
 */
import type { Candidate } from './candidate.js';
import {
  type CandidateEntry,
  type CandidateOptions,
  candidateGroups,
  checkEntries,
  isPeerEntry,
  type PeerEntry,
} from './entry.js';
import { LEVEE_ENTRIES } from './levee.js';
import { NO_CB_ENTRIES } from './no-cb.js';
import { AIMD_ENTRIES } from './peers/aimd.js';
import { BRPC_AUTO_ENTRIES } from './peers/brpc-auto.js';
import { COCKATIEL_ENTRIES } from './peers/cockatiel.js';
import { ENVOY_GRADIENT_ENTRIES } from './peers/envoy-gradient.js';
import { FAILSAFE_LIMITER_ENTRIES } from './peers/failsafe-limiter.js';
import { FAILSAFE_THROTTLER_ENTRIES } from './peers/failsafe-throttler.js';
import { GRADIENT2_ENTRIES } from './peers/gradient2.js';
import { OPOSSUM_ENTRIES } from './peers/opossum.js';
import { SRE_THROTTLE_ENTRIES } from './peers/sre-throttle.js';
import { VEGAS_ENTRIES } from './peers/vegas.js';
import { STATIC_CB_ENTRIES } from './static-cb.js';

export type { CandidateEntry, CandidateOptions, PeerEntry } from './entry.js';

/** Every entry, in order (each group's members in the order listed here). */
const ENTRIES = [
  ...NO_CB_ENTRIES,
  ...LEVEE_ENTRIES,
  ...STATIC_CB_ENTRIES,
  // Competitors from the ecosystem (opt-in: name them with --candidates).
  ...OPOSSUM_ENTRIES,
  ...COCKATIEL_ENTRIES,
  ...GRADIENT2_ENTRIES,
  ...AIMD_ENTRIES,
  ...VEGAS_ENTRIES,
  ...ENVOY_GRADIENT_ENTRIES,
  ...SRE_THROTTLE_ENTRIES,
  ...FAILSAFE_LIMITER_ENTRIES,
  ...FAILSAFE_THROTTLER_ENTRIES,
  ...BRPC_AUTO_ENTRIES,
] as const satisfies readonly CandidateEntry[];
checkEntries(ENTRIES);

type AnyEntry = (typeof ENTRIES)[number];
type AnyPeerEntry = Extract<AnyEntry, { group: 'libraries' | 'limiters' }>;
/** Command-line name of any candidate. */
export type CandidateKey = AnyEntry['key'];
/** Command-line name of a peer (group `libraries` or `limiters`). */
export type PeerKey = AnyPeerEntry['key'];

/** All candidates, in the default run (and print) order of the published tables. */
export const CANDIDATES: readonly CandidateEntry[] = ENTRIES;

/** The peers, in registry order: what the mesh also accepts as governors. */
export const PEER_CANDIDATES: readonly (PeerEntry & { readonly key: PeerKey })[] = ENTRIES.filter(
  (e): e is AnyPeerEntry => isPeerEntry(e),
);

/** Keys of the peers, in registry order. */
export const PEER_KEYS: readonly PeerKey[] = PEER_CANDIDATES.map((e) => e.key);

/**
 * Named groups `--candidates` accepts besides single names (expanded in this
 * order, members already listed skipped), from the entries' `group`:
 * `published` (every suite's default), `libraries`, `limiters`, `peers`
 * (libraries and limiters) and `all` (every candidate). See `CandidateGroup`.
 */
export const CANDIDATE_GROUPS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  candidateGroups(CANDIDATES),
);

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
