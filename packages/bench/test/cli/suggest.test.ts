import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../src/cli/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['spec', 'specs', 1],
    ['sepcs', 'specs', 1], // one swap
    ['closed-lop', 'closed-loop', 1],
    ['LEVEE', 'levee', 0],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j → %j: %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestName', () => {
  const options = ['candidates', 'seed', 'specs', 'slo', 'timeout-ms', 'json', 'jobs'];
  it('finds near misses and unique prefixes, nothing for unrelated words', () => {
    expect(closestName('spec', options)).toBe('specs');
    expect(closestName('sed', options)).toBe('seed');
    expect(closestName('timeout', options)).toBe('timeout-ms');
    expect(closestName('cand', options)).toBe('candidates');
    expect(closestName('frobnicate', options)).toBeUndefined();
    expect(closestName('j', options)).toBeUndefined(); // a prefix of two names, and too short
    expect(closestName('', options)).toBeUndefined();
  });

  it('ties go to the name listed first', () => {
    expect(closestName('job', ['jobs', 'jo'])).toBe('jobs');
  });

  it('didYouMean phrases the suggestion', () => {
    expect(didYouMean('spec', options, (n) => `--${n}`)).toBe('; did you mean --specs?');
    expect(didYouMean('mesh2', ['mesh'])).toBe('; did you mean "mesh"?');
    expect(didYouMean('zzz', ['mesh'])).toBe('');
  });
});
