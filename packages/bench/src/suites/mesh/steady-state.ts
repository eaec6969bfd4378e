/**
 * Steady-state request rates of the mesh (docs/BENCHMARKS.md §6.1): every node's
 * RPS is its entry rate plus, over all edges into it (async ones included),
 * the caller's RPS × p. Solved by in-place (Gauss–Seidel) fixed-point
 * iteration in node order, starting from all zeros: at most 200 rounds,
 * converged once no node changed by 0.01 RPS or more in a round. The
 * notify → orders callback cycle converges geometrically (orders =
 * 75 / (1 − 0.3) ≈ 107.14).
 */

/** The minimal edge shape the solver needs. */
export interface FlowEdge {
  readonly to: number;
  readonly p: number;
}

export const MAX_ROUNDS = 200;
export const TOLERANCE_RPS = 0.01;

export class SteadyStateError extends Error {
  override name = 'SteadyStateError';
}

/**
 * Solves the rates for `entryRps` (per node) and `edges` (outbound edges per
 * node). Throws `SteadyStateError` when 200 rounds do not converge.
 */
export function solveSteadyState(
  entryRps: readonly number[],
  edges: readonly (readonly FlowEdge[])[],
): number[] {
  const n = entryRps.length;
  // Inbound lists in caller order, so each node's sum is formed in node order.
  const inbound: { from: number; p: number }[][] = Array.from({ length: n }, () => []);
  edges.forEach((list, from) => {
    for (const e of list) inbound[e.to]!.push({ from, p: e.p });
  });
  const rps = new Array<number>(n).fill(0);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let maxChange = 0;
    for (let v = 0; v < n; v++) {
      let sum = entryRps[v]!;
      for (const { from, p } of inbound[v]!) sum += rps[from]! * p;
      const change = Math.abs(sum - rps[v]!);
      if (change > maxChange) maxChange = change;
      rps[v] = sum;
    }
    if (maxChange < TOLERANCE_RPS) return rps;
  }
  throw new SteadyStateError(`steady state did not converge in ${MAX_ROUNDS} rounds`);
}
