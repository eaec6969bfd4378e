import { describe, expect, it } from 'vitest';
import { TRANSITION_SLOTS, TRANSITIONS } from '../../src/core/transitions.js';
import { STATES, TRIGGERS } from '../../src/index.js';

describe('the list of legal transitions', () => {
  it('holds the eight transitions of the table, in T1–T7 order', () => {
    expect(TRANSITIONS.map((t) => `${t.from}>${t.to}:${t.trigger}`)).toEqual([
      'CLOSED>THROTTLED:FAILURE_RATE',
      'CLOSED>THROTTLED:CONSECUTIVE_FAILURES',
      'CLOSED>THROTTLED:SURGE',
      'THROTTLED>OPEN:MIN_LIMIT_FAILURE_RATE',
      'HALF_OPEN>OPEN:MIN_LIMIT_FAILURE_RATE',
      'OPEN>HALF_OPEN:COOLDOWN_EXPIRED',
      'THROTTLED>CLOSED:RECOVERED',
      'HALF_OPEN>CLOSED:RECOVERED',
    ]);
    expect(Object.isFrozen(TRANSITIONS)).toBe(true);
    for (const t of TRANSITIONS) expect(Object.isFrozen(t)).toBe(true);
  });

  it('slots every legal (from, to, trigger) code at its index and every other code at −1', () => {
    let legal = 0;
    for (let from = 0; from < STATES.length; from++) {
      for (let to = 0; to < STATES.length; to++) {
        for (let trigger = 0; trigger < TRIGGERS.length; trigger++) {
          const slot = TRANSITION_SLOTS[(from * STATES.length + to) * TRIGGERS.length + trigger]!;
          const i = TRANSITIONS.findIndex(
            (t) =>
              t.from === STATES[from] && t.to === STATES[to] && t.trigger === TRIGGERS[trigger],
          );
          expect(slot).toBe(i);
          if (i >= 0) legal++;
        }
      }
    }
    expect(legal).toBe(TRANSITIONS.length);
    expect(TRANSITION_SLOTS.length).toBe(STATES.length * STATES.length * TRIGGERS.length);
  });
});
