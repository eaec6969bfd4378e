/**
 * The fuzz driver of docs/ALGORITHM.md §6.2 in CI: 10⁵ random operations from
 * a fixed seed through the sources (`npm run fuzz` runs 10⁷ on the build).
 */
import { expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { fuzz } from './driver.mjs';

it('10⁵ random operations keep every invariant (seed 20250612)', async () => {
  const r = await fuzz({ lib, ops: 100_000, seed: 20250612 });
  expect(r.ops).toBe(100_000);
  expect(r.episodes).toBeGreaterThan(3);
  // The run goes through every state, not only CLOSED.
  for (const state of ['CLOSED', 'THROTTLED', 'OPEN', 'HALF_OPEN']) {
    expect(r.states[state], state).toBeGreaterThan(0);
  }
  expect(r.transitions).toBeGreaterThan(10);
});
