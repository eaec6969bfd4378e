/**
 * The peer candidates: the real npm breakers (opossum, cockatiel) on simulated
 * time, each with its documented defaults and with settings picked for this
 * traffic (CONFIGS.md), and reference adaptive limiters written from their
 * published descriptions (PEERS.md §3–4).
 *
 * `PEER_CANDIDATES` has the shape of the registry's entries; the registry adds
 * them to its list. Only the SRE throttle uses the SLO (K = 1/success rate);
 * the others are fixed configurations (`ignoresSlo`).
 */
import type { Candidate } from '../candidate.js';
import type { CandidateEntry, CandidateOptions } from '../registry.js';
import { AimdLimiter } from './aimd.js';
import { createCockatielDefault, createCockatielTuned } from './cockatiel.js';
import { EnvoyGradientLimiter } from './envoy-gradient.js';
import { Gradient2Limiter } from './gradient2.js';
import { createOpossumDefault, createOpossumTuned } from './opossum.js';
import { SreThrottle } from './sre-throttle.js';
import { VegasLimiter } from './vegas.js';

export { AimdLimiter } from './aimd.js';
export { CockatielCandidate } from './cockatiel.js';
export { EnvoyGradientLimiter } from './envoy-gradient.js';
export { Gradient2Limiter } from './gradient2.js';
export { OpossumCandidate } from './opossum.js';
export { SreThrottle } from './sre-throttle.js';
export { VegasLimiter } from './vegas.js';

/** Keys of the peer candidates, in registry order. */
export const PEER_KEYS = [
  'opossum-default',
  'opossum-tuned',
  'cockatiel-default',
  'cockatiel-tuned',
  'gradient2',
  'aimd',
  'vegas',
  'envoy-gradient',
  'sre-throttle',
] as const;
export type PeerKey = (typeof PEER_KEYS)[number];

/** Seed of the limiters that draw random numbers (Vegas, Envoy, SRE). */
export const PEER_SEED = 20241225;

/** The SRE throttle with K = 1 / SLO success rate. */
export function createSreThrottle({ slo }: CandidateOptions): Candidate {
  return new SreThrottle({ k: 1 / slo.successRate, seed: PEER_SEED });
}

export const PEER_CANDIDATES: readonly (CandidateEntry & { key: PeerKey })[] = [
  {
    key: 'opossum-default',
    relativeCost: 5,
    displayName: 'Opossum-Default',
    description: 'opossum 9.0.0 with its documented defaults (>50% errors in 10 s, 30 s reset)',
    ignoresSlo: true,
    create: () => createOpossumDefault(),
  },
  {
    key: 'opossum-tuned',
    relativeCost: 5,
    displayName: 'Opossum-Tuned',
    description:
      'opossum 9.0.0 set for this traffic (1.5 s timeout, >20% of >=100 calls, 5 s reset)',
    ignoresSlo: true,
    create: () => createOpossumTuned(),
  },
  {
    key: 'cockatiel-default',
    relativeCost: 3,
    displayName: 'Cockatiel-Default',
    description: 'cockatiel 3.2.1 README breaker (5 consecutive failures, half-open after 10 s)',
    ignoresSlo: true,
    create: () => createCockatielDefault(),
  },
  {
    key: 'cockatiel-tuned',
    relativeCost: 3,
    displayName: 'Cockatiel-Tuned',
    description:
      'cockatiel 3.2.1 set for this traffic (>20% in 10 s, 2-30 s exponential half-open)',
    ignoresSlo: true,
    create: () => createCockatielTuned(),
  },
  {
    key: 'gradient2',
    relativeCost: 1.5,
    displayName: 'Gradient2',
    description: 'Netflix Gradient2 adaptive limit (init/min 20, max 200)',
    ignoresSlo: true,
    create: () => new Gradient2Limiter(),
  },
  {
    key: 'aimd',
    relativeCost: 1.5,
    displayName: 'AIMD',
    description: 'Netflix AIMD adaptive limit (init/min 20, max 200, x0.9 on drop)',
    ignoresSlo: true,
    create: () => new AimdLimiter(),
  },
  {
    key: 'vegas',
    relativeCost: 1.5,
    displayName: 'Vegas',
    description: 'Netflix Vegas adaptive limit (init 20, max 1000, log10 steps)',
    ignoresSlo: true,
    create: () => new VegasLimiter({ seed: PEER_SEED }),
  },
  {
    key: 'envoy-gradient',
    relativeCost: 1.5,
    displayName: 'Envoy-Gradient',
    description: "Envoy's gradient controller (100 ms windows, minRTT every 60 s + jitter)",
    ignoresSlo: true,
    create: () => new EnvoyGradientLimiter({ seed: PEER_SEED }),
  },
  {
    key: 'sre-throttle',
    relativeCost: 1.5,
    displayName: 'SRE-Throttle',
    description: 'Google SRE client-side throttling with K = 1/SLO over 2 minutes',
    create: (options) => createSreThrottle(options),
  },
];
