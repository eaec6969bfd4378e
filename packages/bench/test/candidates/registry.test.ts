/**
 * The registry's derived tables: the groups and the peer list come from the
 * entries' own `group` fields, in list order, and a new entry needs nothing
 * but its place in the list.
 */
import { describe, expect, it } from 'vitest';
import {
  type CandidateEntry,
  candidateGroups,
  checkEntries,
  type PeerEntry,
} from '../../src/candidates/entry.js';
import { NoCB } from '../../src/candidates/no-cb.js';
import {
  CANDIDATE_GROUPS,
  CANDIDATES,
  PEER_CANDIDATES,
  PEER_KEYS,
  type PeerKey,
} from '../../src/candidates/registry.js';
import { PEER_GOVERNOR_COSTS } from '../../src/suites/mesh/governors.js';

const PUBLISHED = ['no-cb', 'levee', 'static-bau', 'static-peak'];
const LIBRARIES = ['opossum-default', 'opossum-tuned', 'cockatiel-default', 'cockatiel-tuned'];
const LIMITERS = [
  'gradient2',
  'aimd',
  'vegas',
  'envoy-gradient',
  'sre-throttle',
  'failsafe-limiter',
  'failsafe-throttler',
  'brpc-auto',
];

function limiter(key: string): PeerEntry {
  return {
    key,
    displayName: key.toUpperCase(),
    description: 'a test limiter',
    group: 'limiters',
    ignoresSlo: true,
    meshCost: 7,
    create: () => new NoCB(),
  };
}

describe('candidate groups', () => {
  it('are the published membership, computed from the entries', () => {
    expect(Object.keys(CANDIDATE_GROUPS)).toEqual([
      'published',
      'libraries',
      'limiters',
      'peers',
      'all',
    ]);
    expect(CANDIDATE_GROUPS.published).toEqual(PUBLISHED);
    expect(CANDIDATE_GROUPS.libraries).toEqual(LIBRARIES);
    expect(CANDIDATE_GROUPS.limiters).toEqual(LIMITERS);
    expect(CANDIDATE_GROUPS.peers).toEqual([...LIBRARIES, ...LIMITERS]);
    expect(CANDIDATE_GROUPS.all).toEqual([...PUBLISHED, ...LIBRARIES, ...LIMITERS]);
    expect(CANDIDATE_GROUPS).toEqual(candidateGroups(CANDIDATES));
    expect(Object.isFrozen(CANDIDATE_GROUPS)).toBe(true);
  });

  it('list the peers of the registry, with their mesh costs', () => {
    expect(PEER_KEYS).toEqual([...LIBRARIES, ...LIMITERS]);
    expect(PEER_CANDIDATES.map((e) => e.key)).toEqual(PEER_KEYS);
    expect(PEER_GOVERNOR_COSTS).toEqual({
      'opossum-default': 80,
      'opossum-tuned': 80,
      'cockatiel-default': 30,
      'cockatiel-tuned': 30,
      gradient2: 20,
      aimd: 20,
      vegas: 20,
      'envoy-gradient': 20,
      'sre-throttle': 20,
      'failsafe-limiter': 20,
      'failsafe-throttler': 20,
      'brpc-auto': 20,
    });
  });

  it('keep the peer keys a union of literals (the mesh tables are typed by them)', () => {
    const peer: PeerKey = 'aimd';
    // @ts-expect-error: levee is a published candidate, not a peer
    const published: PeerKey = 'levee';
    // @ts-expect-error: no such candidate
    const unknown: PeerKey = 'hystrix';
    expect([peer, published, unknown].map((k) => PEER_KEYS.includes(k))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('take a new entry from its place in the list alone', () => {
    const extra = limiter('test-limiter');
    const groups = candidateGroups([...CANDIDATES, extra]);
    expect(groups.limiters).toEqual([...LIMITERS, 'test-limiter']);
    expect(groups.peers).toEqual([...LIBRARIES, ...LIMITERS, 'test-limiter']);
    expect(groups.all).toEqual([...PUBLISHED, ...LIBRARIES, ...LIMITERS, 'test-limiter']);
    expect(groups.published).toEqual(PUBLISHED);
    expect(groups.libraries).toEqual(LIBRARIES);
    expect(() => checkEntries([...CANDIDATES, extra])).not.toThrow();
  });

  it('follow the entries: a library entry joins libraries and peers, not limiters', () => {
    const lib: CandidateEntry = { ...limiter('test-lib'), group: 'libraries' };
    const list = [...CANDIDATES.slice(0, 8), lib, ...CANDIDATES.slice(8)];
    const groups = candidateGroups(list);
    expect(groups.libraries).toEqual([...LIBRARIES, 'test-lib']);
    expect(groups.limiters).toEqual(LIMITERS);
    expect(groups.peers).toEqual([...LIBRARIES, 'test-lib', ...LIMITERS]);
    expect(() => checkEntries(list)).not.toThrow();
  });

  it('reject a list with a key twice or a group out of order', () => {
    expect(() => checkEntries(CANDIDATES)).not.toThrow();
    expect(() => checkEntries([...CANDIDATES, limiter('aimd')])).toThrow(
      'candidate "aimd" is listed twice',
    );
    const late: CandidateEntry = { ...limiter('late-lib'), group: 'libraries' };
    expect(() => checkEntries([...CANDIDATES, late])).toThrow(
      'candidate "late-lib" (group libraries) comes after the limiters group',
    );
  });
});
