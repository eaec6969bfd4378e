/**
 * Ziggurat tables of Go's `math/rand/v2` `ExpFloat64()` (256 layers,
 * Marsaglia & Tsang 2000), regenerated at module load from the recurrence of
 * docs/BENCHMARKS.md Appendix A.4 in float64 with `Math.exp`/`Math.log`.
 *
 * The result is checked bit-for-bit against `go-exp-tables.json` by the tests
 * (pinned samples plus a digest of all 768 entries).
 */

/** Number of ziggurat layers. */
export const EXP_LAYERS = 256;

/** Start of the tail used by the sampler (a different literal from the generator's `de`). */
// Go writes it as 7.69711747013104972; 7.69711747013105 is the same float64 (shortest form).
export const EXP_RE = 7.69711747013105;

export interface ExpTables {
  /** `ke[i]`: fast-path acceptance thresholds (uint32 values). */
  readonly ke: Float64Array;
  /** `we[i]`: layer widths / 2³², float32 values widened exactly to float64. */
  readonly we: Float64Array;
  /** `fe[i]`: exp(−x) at the layer edges, float32 values widened exactly to float64. */
  readonly fe: Float64Array;
}

/**
 * Computes the tables. Stored as `Float64Array`s (exact: every uint32 and every
 * float32 is a float64) so the sampler never converts on load.
 */
export function generateExpTables(): ExpTables {
  const ke = new Float64Array(EXP_LAYERS);
  const we = new Float64Array(EXP_LAYERS);
  const fe = new Float64Array(EXP_LAYERS);
  const m2 = 4294967296; // 2^32
  let de = 7.697117470131487;
  let te = de;
  const ve = 3.949659822581572e-3;
  const q = ve / Math.exp(-de);
  ke[0] = Math.trunc((de / q) * m2);
  ke[1] = 0;
  we[0] = q / m2;
  we[255] = de / m2;
  fe[0] = 1;
  fe[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ve / de + Math.exp(-de));
    ke[i + 1] = Math.trunc((de / te) * m2);
    te = de;
    fe[i] = Math.exp(-de);
    we[i] = de / m2;
  }
  for (let i = 0; i < EXP_LAYERS; i++) {
    we[i] = Math.fround(we[i]!);
    fe[i] = Math.fround(fe[i]!);
  }
  return { ke, we, fe };
}

/** The tables, computed once at module load. */
export const EXP_TABLES: ExpTables = generateExpTables();
