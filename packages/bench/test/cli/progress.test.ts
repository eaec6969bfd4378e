import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/cli/progress.js';

describe('formatDuration', () => {
  it.each([
    [0, '0.0 s'],
    [59_940, '59.9 s'],
    [60_000, '1:00'],
    [754_400, '12:34'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
