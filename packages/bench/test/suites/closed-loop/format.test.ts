import { describe, expect, it } from 'vitest';
import type { ClosedLoopResult } from '../../../src/sim/orchestrator/closed-loop.js';
import { formatClosedLoopTables } from '../../../src/suites/closed-loop/format.js';

/** Stand-in results carrying the published reference-run figures (docs/BENCHMARKS.md §5.7, P1). */
const PUBLISHED: ClosedLoopResult[] = [
  {
    candidate: 'No-CB',
    blocked: 0,
    allowed: 56518826,
    successes: 31155708,
    failures: 25363118,
    successScore: 132026.7312,
    failureScore: 201637.8468,
    delta: -69611.1156,
    maxConcurrency: 7494,
    backend: {
      requests: 56518826,
      successes: 31159395,
      failures: 25359431,
      shed: 2754143,
      queueDrops: 329407,
      crashes: 78,
    },
  },
  {
    candidate: 'Levee',
    blocked: 23498389,
    allowed: 33020437,
    successes: 32341856,
    failures: 678581,
    successScore: 130466.3249,
    failureScore: 8821.7711,
    delta: 71069.3501,
    maxConcurrency: 1156,
    backend: {
      requests: 33020437,
      successes: 32341856,
      failures: 678581,
      shed: 48779,
      queueDrops: 184523,
      crashes: 0,
    },
  },
  {
    candidate: 'Static-BAU',
    blocked: 25892298,
    allowed: 30626528,
    successes: 29822483,
    failures: 804045,
    successScore: 127370.1149,
    failureScore: 29589.3062,
    delta: 52985.6427,
    maxConcurrency: 7044,
    backend: {
      requests: 30626528,
      successes: 29822483,
      failures: 804045,
      shed: 504984,
      queueDrops: 70694,
      crashes: 15,
    },
  },
  {
    candidate: 'Static-Peak',
    blocked: 26052608,
    allowed: 30466218,
    successes: 30073560,
    failures: 392658,
    successScore: 130072.0459,
    failureScore: 15985.7891,
    delta: 61497.6762,
    maxConcurrency: 5086,
    backend: {
      requests: 30466218,
      successes: 30073560,
      failures: 392658,
      shed: 184129,
      queueDrops: 17530,
      crashes: 50,
    },
  },
];

const CANDIDATES_TABLE = `\
Candidate       |    Blocked |    Allowed |  Successes |  Failures | SuccessScore | FailureScore |      Delta | MaxConcurrency
No-CB           |          0 |   56518826 |   31155708 |  25363118 |    132026.73 |    201637.85 |  -69611.12 |           7494
Levee           |   23498389 |   33020437 |   32341856 |    678581 |    130466.32 |      8821.77 |   71069.35 |           1156
Static-BAU      |   25892298 |   30626528 |   29822483 |    804045 |    127370.11 |     29589.31 |   52985.64 |           7044
Static-Peak     |   26052608 |   30466218 |   30073560 |    392658 |    130072.05 |     15985.79 |   61497.68 |           5086
`;

const BACKEND_TABLE = `\
Backend         |   Requests |  Successes |   Failures |       Shed | QueueDrops |    Crashes
No-CB           |   56518826 |   31159395 |   25359431 |    2754143 |     329407 |         78
Levee           |   33020437 |   32341856 |     678581 |      48779 |     184523 |          0
Static-BAU      |   30626528 |   29822483 |     804045 |     504984 |      70694 |         15
Static-Peak     |   30466218 |   30073560 |     392658 |     184129 |      17530 |         50
`;

describe('tables', () => {
  it('reproduces the published layout of both tables, separated by a blank line', () => {
    expect(formatClosedLoopTables(PUBLISHED)).toBe(`${CANDIDATES_TABLE}\n${BACKEND_TABLE}`);
  });

  it('lists rows in the given order', () => {
    const reversed = formatClosedLoopTables([...PUBLISHED].reverse()).split('\n');
    expect(reversed[1]).toMatch(/^Static-Peak /);
    expect(reversed[4]).toMatch(/^No-CB /);
  });

  it('widens a column rather than truncating a cell', () => {
    const [first] = PUBLISHED;
    const wide = { ...first!, candidate: 'A-Very-Long-Name', failures: 1234567890 };
    const line = formatClosedLoopTables([wide]).split('\n')[1];
    expect(line).toContain('A-Very-Long-Name | ');
    expect(line).toContain('| 1234567890 |');
  });
});
