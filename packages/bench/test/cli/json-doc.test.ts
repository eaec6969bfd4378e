/**
 * The published JSON shape (src/cli/json-doc.ts): schema version and tool
 * versions first, every candidate named by key and display name.
 */
import { describe, expect, it } from 'vitest';
import {
  CandidateNames,
  JSON_SCHEMA_VERSION,
  nameCandidates,
  publicDocument,
} from '../../src/cli/json-doc.js';

const names = new CandidateNames([
  { key: 'levee', name: 'Levee' },
  { key: 'static-peak', name: 'Static-Peak' },
  { key: 'no-gov', name: 'No-Gov' },
  { key: 'prescient', name: 'Prescient' },
  { key: 'levee', name: 'Levee' }, // a suite may repeat a registry candidate
]);

describe('publicDocument', () => {
  it('puts the schema version and the tool first', () => {
    const doc = publicDocument({ suite: 'closed-loop', config: { candidates: ['levee'] } }, names, {
      bench: '1.2.3',
      levee: '4.5.6',
    });
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'suite', 'config']);
    expect(doc.schemaVersion).toBe(JSON_SCHEMA_VERSION);
    expect(doc.tool).toEqual({ name: 'levee-bench', version: '1.2.3', levee: '4.5.6' });
    expect(doc.config).toEqual({ candidates: ['levee'] });
  });
});

describe('nameCandidates', () => {
  it('results: key in `candidate`, printed name in `name` right after it', () => {
    const out = nameCandidates(
      {
        results: [
          { candidate: 'Levee', delta: 1 },
          { governor: 'no-gov', candidate: 'No-Gov', meshDelta: 2 },
          { candidate: 'Prescient', estimate: true },
          { candidate: 'levee', blocked: 3 }, // already a key
          { candidate: 'Unknown-Thing', delta: 4 }, // left alone
        ],
        variations: [{ name: 'baseline', results: [{ candidate: 'Static-Peak' }] }],
      },
      names,
    ) as { results: object[]; variations: Array<{ name: string; results: object[] }> };
    expect(out.results).toEqual([
      { candidate: 'levee', name: 'Levee', delta: 1 },
      { governor: 'no-gov', candidate: 'no-gov', name: 'No-Gov', meshDelta: 2 },
      { candidate: 'prescient', name: 'Prescient', estimate: true },
      { candidate: 'levee', name: 'Levee', blocked: 3 },
      { candidate: 'Unknown-Thing', delta: 4 },
    ]);
    expect(Object.keys(out.results[1]!)).toEqual(['governor', 'candidate', 'name', 'meshDelta']);
    // A `name` that is not next to a `candidate` (a variation's) is not a candidate.
    expect(out.variations[0]).toEqual({
      name: 'baseline',
      results: [{ candidate: 'static-peak', name: 'Static-Peak' }],
    });
  });

  it('scoreboard rows: competitors, the best one and the published best', () => {
    const row = {
      suite: 'mesh',
      metric: 'MeshDelta',
      levee: 8587.26,
      competitors: [{ name: 'No-Gov', value: -25256.54 }],
      best: { name: 'No-Gov', value: -25256.54 },
      reference: { levee: 8587.3, best: 8141.9, bestName: 'No-Gov' },
    };
    expect(nameCandidates({ scoreboard: { rows: [row], wins: 1 } }, names)).toEqual({
      scoreboard: {
        rows: [
          {
            suite: 'mesh',
            metric: 'MeshDelta',
            levee: 8587.26,
            competitors: [{ candidate: 'no-gov', name: 'No-Gov', value: -25256.54 }],
            best: { candidate: 'no-gov', name: 'No-Gov', value: -25256.54 },
            reference: { levee: 8587.3, best: 8141.9, bestCandidate: 'no-gov', bestName: 'No-Gov' },
          },
        ],
        wins: 1,
      },
    });
  });

  it('refuses a display name given to two keys, and a clashing name field', () => {
    expect(
      () =>
        new CandidateNames([
          { key: 'a', name: 'A' },
          { key: 'b', name: 'A' },
        ]),
    ).toThrow(/"A" names two candidates: a and b/);
    expect(() => nameCandidates({ candidate: 'Levee', name: 'Other' }, names)).toThrow(
      /candidate "Levee" and also has name Other/,
    );
  });
});
