import { describe, expect, it } from 'vitest';
import { countDispatcherArrivals } from '../../../src/sim/arrivals/dispatcher.js';
import { countOpenLoopArrivals } from '../../../src/sim/arrivals/open-loop-stream.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';

// End-to-end known answers over the whole 28-hour workload (docs/BENCHMARKS.md §2.3,
// §5.2, A.5). Each takes a few seconds (~56.5 M exponentials, plus two uniforms
// per request for the open-loop generator). The full open-loop *event stream*
// (with the completion heap) is checked by scripts/verify-arrivals.mjs.
describe('full Cyber Monday arrival counts, seed 20241225', () => {
  it('closed-loop dispatcher: 56,518,826 requests, last (discarded) t = 100,800,215,499,895 ns', () => {
    expect(countDispatcherArrivals(cyberMonday(), 20241225)).toEqual({
      count: 56_518_826,
      lastT: 100_800_215_499_895,
    });
  }, 120_000);

  it('open-loop generator: 56,525,160 requests', () => {
    expect(countOpenLoopArrivals(cyberMonday(), 20241225)).toBe(56_525_160);
  }, 180_000);
});
