import { describe, expect, it } from 'vitest';
import { fixed2, formatTable, round2, signed2 } from '../../../src/suites/shared/tables.js';

describe('formatTable', () => {
  it('formatTable aligns the first column left and the others right', () => {
    expect(
      formatTable(
        ['Name', 'N'],
        [
          ['a', '1'],
          ['bb', '222'],
        ],
      ),
    ).toBe('Name |   N\na    |   1\nbb   | 222\n');
    expect(formatTable(['A', 'B'], [], [3, 4])).toBe('A   |    B\n');
  });
});

describe('signed2', () => {
  it('signs margins', () => {
    expect(signed2(9571.664)).toBe('+9571.66');
    expect(signed2(-3.333)).toBe('-3.33');
    expect(signed2(0)).toBe('+0.00');
  });
});

describe('fixed2 (printf %.2f rounding)', () => {
  it.each([
    [132026.7312, '132026.73'],
    [-69611.1156, '-69611.12'],
    [0, '0.00'],
    [-0, '-0.00'],
    [-0.001, '-0.00'],
    [0.005, '0.01'], // the double just above 0.005
    [0.015, '0.01'], // the double just below 0.015
    [0.125, '0.12'], // exact tie: to even
    [0.375, '0.38'],
    [0.625, '0.62'],
    [2.875, '2.88'],
    [-1.125, '-1.12'],
    [1.5, '1.50'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
  ])('%d -> %s', (x, text) => {
    expect(fixed2(x)).toBe(text);
  });

  it('round2 gives numbers without a negative zero', () => {
    expect(round2(130466.3249)).toBe(130466.32);
    expect(round2(-69611.1156)).toBe(-69611.12);
    expect(Object.is(round2(-0.001), 0)).toBe(true);
  });
});
