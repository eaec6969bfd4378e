import { describe, expect, it } from 'vitest';
import {
  classifyTransitions,
  type EffectiveTransition,
  effectiveState,
} from '../../../src/suites/prescient/classify.js';
import { OracleTimeline } from '../../../src/suites/prescient/oracle.js';

const S = 1e9;

/** Oracle OPEN during [1000 s, 1100 s) and [5000 s, 5060 s). */
const ORACLE = new OracleTimeline(
  [
    { tNs: 1000 * S, open: true },
    { tNs: 1100 * S, open: false },
    { tNs: 5000 * S, open: true },
    { tNs: 5060 * S, open: false },
  ],
  9000 * S,
);

const open = (s: number, oracleOpen = ORACLE.openAt(s * S)): EffectiveTransition => ({
  tNs: s * S,
  to: 'OPEN',
  oracleOpen,
});
const close = (s: number, oracleOpen = ORACLE.openAt(s * S)): EffectiveTransition => ({
  tNs: s * S,
  to: 'CLOSED',
  oracleOpen,
});

function categories(transitions: EffectiveTransition[]): string[] {
  return classifyTransitions(transitions, ORACLE).transitions.map((t) => t.category);
}

describe('effective state (§4.3)', () => {
  it('counts THROTTLED and HALF_OPEN as OPEN', () => {
    expect(effectiveState('CLOSED')).toBe('CLOSED');
    expect(effectiveState('OPEN')).toBe('OPEN');
    expect(effectiveState('THROTTLED')).toBe('OPEN');
    expect(effectiveState('HALF_OPEN')).toBe('OPEN');
  });
});

describe('classifying openings', () => {
  it('good detection within 1 s of the oracle opening, late detection after', () => {
    expect(categories([open(1000.5)])).toEqual(['detection']);
    expect(categories([open(1001)])).toEqual(['detection']); // exactly 1 s is not late
    expect(categories([open(1001.000001)])).toEqual(['late-detection']);
    expect(categories([open(1099)])).toEqual(['late-detection']);
  });

  it('false alarm: oracle CLOSED and no OPEN period within ±5 s (looking into the future too)', () => {
    expect(categories([open(500)])).toEqual(['false-alarm']);
    expect(categories([open(994.999)])).toEqual(['false-alarm']); // opens 5.001 s later
    expect(categories([open(995.5)])).toEqual(['near-incident']); // opens 4.5 s later
    expect(categories([open(1104)])).toEqual(['near-incident']); // closed 4 s ago
    expect(categories([open(1105.001)])).toEqual(['false-alarm']);
    // exactly 5 s away on either side does not overlap
    expect(categories([open(995)])).toEqual(['false-alarm']);
    expect(categories([open(1105)])).toEqual(['false-alarm']);
  });

  it('flapping: reopening less than 60 s after the last close, checked first', () => {
    // A reopening 30 s after a close: flapping, even though the oracle is CLOSED with no
    // incident nearby (it would otherwise be a false alarm) …
    expect(categories([open(100), close(200), open(230)])).toEqual([
      'false-alarm',
      'recovery',
      'flapping',
    ]);
    // … and even inside an incident, long after it began (otherwise a late detection).
    expect(categories([open(1000.2), close(1050), open(1080)])).toEqual([
      'detection',
      'premature-recovery',
      'flapping',
    ]);
    // 60 s or more after the close: classified normally.
    expect(categories([open(100), close(200), open(260)])).toEqual([
      'false-alarm',
      'recovery',
      'false-alarm',
    ]);
    expect(categories([open(100), close(200), open(259.999)])[2]).toBe('flapping');
  });

  it('the first opening never flaps (there was no close before)', () => {
    expect(categories([open(10)])).toEqual(['false-alarm']);
  });

  it("uses the oracle state carried by the transition, and the change list's last opening", () => {
    // A completion just after a nominal boundary, before the next start sampled the oracle:
    // the oracle is OPEN at that instant but the change list has no opening yet → detection.
    expect(categories([open(999.9999, true)])).toEqual(['detection']);
    // OPEN per the function, last listed opening 4,000 s earlier → late detection.
    expect(categories([open(4999.9999, true)])).toEqual(['late-detection']);
  });
});

describe('classifying closings', () => {
  it('premature while the oracle is OPEN', () => {
    expect(categories([open(1000.1), close(1050)])).toEqual(['detection', 'premature-recovery']);
  });

  it('good within 5 s of the oracle closing, slow after', () => {
    expect(categories([open(1000.1), close(1103)])[1]).toBe('recovery');
    expect(categories([open(1000.1), close(1105)])[1]).toBe('recovery');
    expect(categories([open(1000.1), close(1105.001)])[1]).toBe('slow-recovery');
  });

  it('a close before the oracle ever closed is good (the initial CLOSED is no change)', () => {
    expect(categories([open(100), close(110)])).toEqual(['false-alarm', 'recovery']);
  });
});

describe('classifyTransitions', () => {
  it('counts every category and keeps the log in order', () => {
    const { counts, transitions } = classifyTransitions(
      [
        open(500), // false alarm
        close(510), // recovery (oracle never closed yet)
        open(1000.5), // detection
        close(1050), // premature
        open(1060), // flapping
        close(1200), // slow
        open(4998), // near incident
        close(5001, true), // premature
        open(5200), // false alarm (> 60 s after the close)
        close(5300), // slow
      ],
      ORACLE,
    );
    expect(counts).toEqual({
      flapping: 1,
      falseAlarm: 2,
      lateDetection: 0,
      detection: 1,
      nearIncident: 1,
      prematureRecovery: 2,
      slowRecovery: 2,
      recovery: 1,
    });
    expect(transitions.map((t) => t.tNs)).toEqual(
      [500, 510, 1000.5, 1050, 1060, 1200, 4998, 5001, 5200, 5300].map((s) => s * S),
    );
    expect(transitions[0]).toEqual({
      tNs: 500 * S,
      to: 'OPEN',
      oracleOpen: false,
      category: 'false-alarm',
    });
  });
});
