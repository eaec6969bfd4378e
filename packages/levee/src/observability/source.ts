/**
 * Where the metric bindings and the dashboard find their Levee instances.
 * Shared by `@leveejs/levee/prometheus`, `/otel` and `/dashboard`; the core
 * never imports it.
 *
 * @module
 */
import type { Levee } from '../core/levee.js';
import type { Snapshot } from '../core/types.js';

/**
 * Any re-iterable collection of `[key, levee]` pairs, read afresh on every
 * scrape, collection or dashboard tick: a `LeveeRegistry`, a
 * `Map<string, Levee>`, an array of pairs — or a function returning one (e.g.
 * a generator function), called each time.
 *
 * A bare iterator (a generator object) would be exhausted after the first
 * read: pass the generator function instead.
 */
export type LeveeSource =
  | Iterable<readonly [string, Levee]>
  | (() => Iterable<readonly [string, Levee]>);

/** One instance, read once. */
export interface SourceEntry {
  readonly key: string;
  readonly levee: Levee;
  readonly snapshot: Snapshot;
}

/** Throws a TypeError unless `source` looks like a {@link LeveeSource}. */
export function checkSource(source: unknown, what: string): void {
  if (typeof source === 'function') return;
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof (source as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `${what}: source must be an iterable of [key, levee] pairs (a LeveeRegistry, a Map, an array) or a function returning one`,
    );
  }
}

/**
 * Reads every instance of the source once: one snapshot each. The first entry
 * wins when a key repeats (a label set must not be reported twice).
 */
export function readSource(source: LeveeSource): SourceEntry[] {
  const iterable = typeof source === 'function' ? source() : source;
  const out: SourceEntry[] = [];
  const seen = new Set<string>();
  for (const pair of iterable) {
    const key = String(pair[0]);
    const levee = pair[1];
    if (seen.has(key) || typeof levee?.snapshot !== 'function') continue;
    seen.add(key);
    out.push({ key, levee, snapshot: levee.snapshot() });
  }
  return out;
}
