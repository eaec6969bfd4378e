/**
 * Compact encoding of trace columns for the HTML report.
 *
 * A column of numbers is quantised to integers (`round(v × scale)`), turned
 * into the differences between neighbours, zigzag-mapped to non-negative
 * integers (0, −1, 1, −2, … → 0, 1, 2, 3, …) and written as LEB128 varints
 * (7 bits a byte, high bit = more). Per-second counts change little from one
 * second to the next and the sampled columns (replicas, slots, capacity, state
 * shares) mostly not at all, so most values take one byte. The bytes are then
 * deflated (raw DEFLATE, RFC 1951) and base64-encoded; the page inflates them
 * with the browser's built-in `DecompressionStream('deflate-raw')`.
 *
 * Arithmetic, not 32-bit bit operations, keeps values beyond ±2^31 exact (up
 * to 2^53).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Varint bytes of the zigzagged deltas of `round(values[i] × scale)`. */
export function encodeDeltaVarint(values: ArrayLike<number>, scale = 1): Uint8Array {
  const out = new Uint8Array(Math.max(16, values.length * 2));
  let buf = out;
  let n = 0;
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    const q = Number.isFinite(raw) ? Math.round(raw * scale) : 0;
    const d = q - prev;
    prev = q;
    let z = d >= 0 ? 2 * d : -2 * d - 1;
    if (n + 10 > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf.subarray(0, n));
      buf = bigger;
    }
    while (z >= 128) {
      buf[n++] = (z % 128) + 128;
      z = Math.floor(z / 128);
    }
    buf[n++] = z;
  }
  return buf.slice(0, n);
}

/** Inverse of `encodeDeltaVarint`: the quantised values divided by `scale`. */
export function decodeDeltaVarint(bytes: Uint8Array, scale = 1): Float64Array {
  const values: number[] = [];
  let prev = 0;
  let i = 0;
  while (i < bytes.length) {
    let z = 0;
    let mul = 1;
    let b: number;
    do {
      b = bytes[i++]!;
      z += (b % 128) * mul;
      mul *= 128;
    } while (b >= 128);
    const d = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    prev += d;
    values.push(prev / scale);
  }
  return Float64Array.from(values);
}

/** A column as it is stored in the page: deflated varints in base64. */
export function encodeColumn(values: ArrayLike<number>, scale = 1): string {
  const bytes = encodeDeltaVarint(values, scale);
  return deflateRawSync(bytes, { level: 9 }).toString('base64');
}

/** Inverse of `encodeColumn` (for tests and tools; the page decodes in the browser). */
export function decodeColumn(text: string, scale = 1): Float64Array {
  return decodeDeltaVarint(new Uint8Array(inflateRawSync(Buffer.from(text, 'base64'))), scale);
}
