/** The timeline and its seeded Poisson arrivals. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD, DEFAULT_SERVICE } from '../../../src/suites/live/config.js';
import {
  Arrivals,
  buildTimeline,
  maxArrivals,
  NS_PER_S,
  type TimelinePhase,
  timelineEndNs,
  warmupPhase,
} from '../../../src/suites/live/timeline.js';

const timeline = buildTimeline(
  [
    { name: 'calm', seconds: 3 },
    { name: '8x', seconds: 2 },
    { name: 'dep-500', seconds: 1.5 },
  ],
  DEFAULT_SERVICE,
  DEFAULT_LOAD,
);

function all(a: Arrivals): number[] {
  const out: number[] = [];
  for (let t = a.next(); t !== undefined; t = a.next()) out.push(t);
  return out;
}

describe('timeline', () => {
  it('places the phases back to back with their rates', () => {
    expect(timeline.map((p) => [p.name, p.startNs, p.endNs, p.rate, p.part, p.mode])).toEqual([
      ['calm', 0, 3e9, 125, 'service', 'ok'],
      ['8x', 3e9, 5e9, 2000, 'service', 'ok'],
      ['dep-500', 5e9, 6.5e9, 100, 'client', 'errors'],
    ]);
    expect(timelineEndNs(timeline)).toBe(6.5e9);
    const warm = warmupPhase(DEFAULT_SERVICE, 1000);
    expect([warm.index, warm.startNs, warm.endNs, warm.rate]).toEqual([-1, -1e9, 0, 125]);
  });
});

describe('arrivals', () => {
  it('are integer times inside the phase, increasing, the same for the same seed', () => {
    const phase = timeline[1]!;
    const a = all(new Arrivals(7, phase));
    expect(a).toEqual(all(new Arrivals(7, phase)));
    expect(a).not.toEqual(all(new Arrivals(8, phase)));
    for (let i = 0; i < a.length; i++) {
      expect(Number.isInteger(a[i])).toBe(true);
      expect(a[i]).toBeGreaterThanOrEqual(phase.startNs);
      expect(a[i]).toBeLessThan(phase.endNs);
      if (i > 0) expect(a[i]).toBeGreaterThanOrEqual(a[i - 1]!);
    }
    // Poisson with mean 4,000: within five standard deviations (±316).
    expect(Math.abs(a.length - 4000)).toBeLessThan(316);
  });

  it('differ between phases of one run and stop at the bound', () => {
    const calm = all(new Arrivals(1, timeline[0]!));
    const shifted: TimelinePhase = { ...timeline[0]!, index: 5 };
    expect(all(new Arrivals(1, shifted))).not.toEqual(calm);
    const tiny: TimelinePhase = { ...timeline[0]!, rate: 1e6, endNs: NS_PER_S };
    expect(all(new Arrivals(1, tiny)).length).toBeLessThanOrEqual(maxArrivals(tiny));
    expect(all(new Arrivals(1, { ...timeline[0]!, rate: 0 }))).toEqual([]);
  });
});
