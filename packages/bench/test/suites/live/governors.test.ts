/** The governors: names, the oracle, and the out-of-band gate around any candidate. */
import { describe, expect, it } from 'vitest';
import type { Candidate, CandidateState } from '../../../src/candidates/candidate.js';
import { CANDIDATE_GROUPS } from '../../../src/candidates/registry.js';
import {
  CandidateGate,
  createOutOfBand,
  DEFAULT_GOVERNORS,
  governorDisplayName,
  governorNames,
  governorsForCandidates,
  parseGovernors,
  StaticLimit,
} from '../../../src/suites/live/governors.js';
import type { OptionValueError } from '../../../src/suites/shared/suite.js';

const SLO = { successRate: 0.99, timeoutMs: 1000 };

describe('governor names', () => {
  it('are none, oracle, levee, levee-oob and the registry but its levee', () => {
    const names = governorNames();
    expect(names.slice(0, 4)).toEqual(['none', 'oracle', 'levee', 'levee-oob']);
    expect(names).toContain('aimd');
    expect(names).toContain('opossum-default');
    expect(names.filter((n) => n === 'levee')).toHaveLength(1);
    expect(DEFAULT_GOVERNORS).toEqual(['none', 'oracle', 'levee', 'aimd']);
    expect(DEFAULT_GOVERNORS.map(governorDisplayName)).toEqual([
      'None',
      'Static-Oracle',
      'Levee',
      'AIMD',
    ]);
  });

  it('parse with groups expanded, and refuse unknown or repeated names', () => {
    expect(parseGovernors('none,limiters')).toEqual(['none', ...CANDIDATE_GROUPS.limiters!]);
    expect(CANDIDATE_GROUPS.limiters).toContain('aimd');
    expect(parseGovernors('aimd,limiters')[0]).toBe('aimd');
    const err = (() => {
      try {
        parseGovernors('levee,nope');
      } catch (e) {
        return e as OptionValueError;
      }
      return undefined;
    })();
    expect(err?.value).toBe('nope');
    expect(err?.why).toMatch(/^unknown governor; known: none, oracle, levee, levee-oob,/);
    expect(() => parseGovernors('aimd,aimd')).toThrow(/listed twice/);
  });

  it('stand in for --candidates after the baseline, the oracle and Levee', () => {
    expect(governorsForCandidates(['no-cb', 'levee', 'aimd', 'vegas'])).toEqual([
      'none',
      'oracle',
      'levee',
      'aimd',
      'vegas',
    ]);
  });
});

describe('the oracle', () => {
  it('admits up to its limit and frees a slot per outcome', () => {
    const o = new StaticLimit(2);
    expect([o.start(0), o.start(1), o.start(2)]).toEqual([true, true, false]);
    expect(o.state()).toBe('THROTTLED');
    expect(o.probe()).toEqual({ limit: 2, inflight: 2 });
    o.success(3, 3);
    expect(o.start(4)).toBe(true);
    o.fail(5, 1);
    o.fail(6, 1);
    o.fail(7, 1); // one more than admitted: ignored
    expect(o.probe().inflight).toBe(0);
    expect(o.state()).toBe('CLOSED');
    expect(() => new StaticLimit(0)).toThrow(/positive integer/);
  });
});

/** Records what the gate hands a candidate. */
class Recorder implements Candidate {
  readonly name = 'rec';
  readonly calls: string[] = [];
  admit = true;
  start(tNs: number): boolean {
    this.calls.push(`start ${tNs}`);
    return this.admit;
  }
  state(): CandidateState {
    return 'CLOSED';
  }
  success(tNs: number, latencyNs: number): void {
    this.calls.push(`success ${tNs} ${latencyNs}`);
  }
  fail(tNs: number, latencyNs: number): void {
    this.calls.push(`fail ${tNs} ${latencyNs}`);
  }
}

describe('the out-of-band gate', () => {
  it('feeds integer times that never go back, completes once, counts its inflight', () => {
    const times = [100, 90, 250, 400, 500];
    const c = new Recorder();
    const gate = new CandidateGate(c, () => times.shift()!);
    const a = gate.admit()!;
    const b = gate.admit()!; // the clock went back to 90: the gate keeps 100
    expect(gate.sample()).toEqual({ state: 'CLOSED', limit: 0, inflight: 2 });
    a.finish(200);
    a.fail(); // already complete
    b.finish(502);
    expect(c.calls).toEqual(['start 100', 'start 100', 'success 250 150', 'fail 400 300']);
    expect(gate.sample().inflight).toBe(0);
    c.admit = false;
    expect(gate.admit()).toBeUndefined();
    expect(gate.sample().inflight).toBe(0);
  });

  it('builds every registry candidate, the oracle and none', () => {
    for (const name of governorNames().filter((n) => n !== 'levee')) {
      const cand = createOutOfBand(name, SLO, 20);
      expect(cand.start(1)).toBeTypeOf('boolean');
    }
    expect(createOutOfBand('levee-oob', SLO, 20).name).toBe('Levee');
    expect(() => createOutOfBand('levee', SLO, 20)).toThrow(/integrations/);
  });
});
