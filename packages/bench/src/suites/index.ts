/**
 * The suites `levee-bench` knows, in the order `levee-bench all` runs them and
 * lists them on the scoreboard (the order of the published "21 configurations":
 * isolated, 7 load variations, cooperation, 5 SLOs, 5 queue depths, prescient,
 * mesh).
 */

import { closedLoopSuite } from './closed-loop/suite.js';
import { cooperationSuite } from './cooperation/suite.js';
import { loadVariationSuite } from './load-variation/suite.js';
import { meshSuite } from './mesh/suite.js';
import { prescientSuite } from './prescient/suite.js';
import { queueDepthSuite } from './queue-depth/suite.js';
import { sloSweepSuite } from './slo-sweep/suite.js';
import type { Suite } from './suite.js';

// biome-ignore lint/suspicious/noExplicitAny: suites have different param/result types
export type AnySuite = Suite<any, any>;

export const SUITES: readonly AnySuite[] = [
  closedLoopSuite,
  loadVariationSuite,
  cooperationSuite,
  sloSweepSuite,
  queueDepthSuite,
  prescientSuite,
  meshSuite,
];

/** The suite named `name`, or undefined. */
export function findSuite(name: string): AnySuite | undefined {
  return SUITES.find((s) => s.name === name);
}
