import { describe, expect, it } from 'vitest';
import { isPublishedSetup, workloadClockStart } from '../../../src/suites/shared/jobs.js';
import { options } from '../fixtures.js';

describe('published setup detection', () => {
  it('needs the built-in workload, all specs, the base seed and the reference backend', () => {
    expect(isPublishedSetup(options())).toBe(true);
    expect(isPublishedSetup(options({ seed: 1 }))).toBe(false);
    expect(isPublishedSetup(options({ specs: { first: 0, last: 7 } }))).toBe(false);
    expect(isPublishedSetup(options({ backend: { queueDepthPerReplica: 10 } }))).toBe(false);
    expect(isPublishedSetup(options({ backend: { queueDepthPerReplica: 50 } }))).toBe(true);
    const o = options();
    expect(isPublishedSetup({ ...o, workload: { ...o.workload, builtin: false } })).toBe(false);
  });
});

describe('workload clock', () => {
  it('the x axis starts at Sunday 20:00, later for a later first spec, elapsed for a file', () => {
    const at = (first: number, builtin = true) => {
      const o = options({ specs: { first, last: 7 } });
      return workloadClockStart({ ...o, workload: { ...o.workload, builtin } });
    };
    expect(at(0)).toBe(72_000);
    expect(at(1)).toBe(0); // spec 0 is the four calm hours
    expect(at(0, false)).toBeUndefined();
  });
});
