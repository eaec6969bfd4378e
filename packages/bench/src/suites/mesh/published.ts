/**
 * The published mesh results (docs/BENCHMARKS.md §6.7, upstream revision
 * `bf42c22`): the full 30-minute scenario, seed 20241225. Our runs reproduce
 * every cell (scripts/verify-mesh.mjs checks them).
 */
import type { PublishedGovernorKind } from './governors.js';

export interface PublishedMeshRow {
  candidate: string;
  allowed: number;
  blocked: number;
  successes: number;
  failures: number;
  /** As printed, one decimal. */
  meshDelta: number;
  /** Crashes per node (nodes without crashes left out). */
  crashes: Readonly<Record<string, number>>;
  /** Per-entry Delta, one decimal, where published. */
  entryDelta?: Readonly<Record<string, number>>;
}

export const PUBLISHED_MESH: Readonly<Record<PublishedGovernorKind, PublishedMeshRow>> =
  Object.freeze({
    'no-gov': {
      candidate: 'No-Gov',
      allowed: 1018091,
      blocked: 0,
      successes: 242983,
      failures: 775108,
      meshDelta: -25256.5,
      crashes: { 'edge-api': 7, inventory: 2, db: 2, payments: 1 },
    },
    'static-breaker': {
      candidate: 'Static-Breaker',
      allowed: 1018091,
      blocked: 0,
      successes: 274045,
      failures: 744046,
      meshDelta: -24511.7,
      crashes: { 'edge-api': 7, inventory: 2 },
    },
    'static-limiter': {
      candidate: 'Static-Limiter',
      allowed: 675086,
      blocked: 343005,
      successes: 599082,
      failures: 76004,
      meshDelta: 8141.9,
      crashes: {},
      entryDelta: { 'edge-api': 7591.1, 'admin-api': 715.2 },
    },
    'static-full': {
      candidate: 'Static-Full',
      allowed: 675086,
      blocked: 343005,
      successes: 596854,
      failures: 78232,
      meshDelta: 7929.6,
      crashes: {},
    },
    levee: {
      candidate: 'Levee',
      allowed: 639035,
      blocked: 379056,
      successes: 592268,
      failures: 46767,
      meshDelta: 8587.3,
      crashes: {},
      entryDelta: { 'edge-api': 8103.2, 'admin-api': 670.4 },
    },
  });

/** The best published competitor of Levee (by MeshDelta). */
export const PUBLISHED_MESH_BEST = Object.freeze({ name: 'Static-Limiter', meshDelta: 8141.9 });
