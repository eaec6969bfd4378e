/**
 * How to read the mesh suite's figures, for the report page's header, and
 * what its governors are (docs/BENCHMARKS.md §6.4; src/suites/mesh/governors.ts).
 */
import type { SuiteGuide } from '../shared/suite.js';
import { GOVERNOR_NAMES } from './governors.js';

export const MESH_GUIDE: SuiteGuide = {
  metric: 'MeshDelta',
  higherIsBetter: true,
  explanation: `MeshDelta is the closed-loop suites' Delta computed on the requests entering
the mesh (both entry nodes together): (SuccessScore − FailureScore) ×
Allowed / (Allowed + Blocked), the scores being √(Σ 5·n²) over 200 ms epochs
of the requests that finished OK (or failed). A governor that admits more
can still lose: overloaded nodes crash (▼ in the charts) and turn admitted
requests into failures, and failures in bursts weigh more than a trickle.`,
  candidates: [
    {
      key: 'no-gov',
      name: GOVERNOR_NAMES['no-gov'],
      description: 'no governor: every call admitted',
    },
    {
      key: 'static-breaker',
      name: GOVERNOR_NAMES['static-breaker'],
      description:
        'a consecutive-failure breaker (BAU tuning) on every outbound edge; no inbound limit',
    },
    {
      key: 'static-limiter',
      name: GOVERNOR_NAMES['static-limiter'],
      description:
        'per replica a token bucket at 0.85 × its provisioned rate, per edge a max-inflight cap',
    },
    {
      key: 'static-full',
      name: GOVERNOR_NAMES['static-full'],
      description: 'Static-Limiter and Static-Breaker together',
    },
    {
      key: 'levee',
      name: GOVERNOR_NAMES.levee,
      description:
        'on every replica one instance inbound and one per outbound edge, SLO 0.90 / 1,500 ms',
    },
  ],
};
