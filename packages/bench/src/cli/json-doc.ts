/**
 * The JSON documents `levee-bench` writes (`--json FILE`, `--out DIR`), in
 * schema version `JSON_SCHEMA_VERSION` (the bench README, "JSON output",
 * describes it):
 *
 * - every document starts with `schemaVersion` and `tool` (the bench's and
 *   the Levee library's versions), then the suite's own fields;
 * - a candidate is named one way everywhere: `candidate` is its key (the name
 *   `--candidates` takes, as `config` lists it; a mesh governor's key, as
 *   `config.governors` lists it; `prescient` for the prescient oracle's row)
 *   and `name`, next to it, the name the tables print. Scoreboard rows name
 *   their competitors and best competitor the same way
 *   (`{ candidate, name, value }`) and their published reference's best
 *   competitor with `bestCandidate` next to `bestName`.
 *
 * The suites' `reduce` builds its document with the names the tables print;
 * this module turns it into the published shape, so every suite, present or
 * future, names candidates the same way.
 */
import type { ToolVersions } from './version.js';

/**
 * Version of the JSON documents' shape. Incremented on any change a reader
 * could trip over (a field renamed, removed or given another meaning); new
 * fields alone do not change it.
 */
export const JSON_SCHEMA_VERSION = 1;

/** A candidate's key and display name. */
export interface CandidateName {
  key: string;
  name: string;
}

/** Resolves a candidate given by display name (as the tables print it) or by key. */
export class CandidateNames {
  readonly #byName = new Map<string, CandidateName>();
  readonly #byKey = new Map<string, CandidateName>();

  constructor(entries: Iterable<CandidateName>) {
    for (const e of entries) {
      const known = this.#byName.get(e.name);
      if (known !== undefined && known.key !== e.key) {
        throw new Error(`"${e.name}" names two candidates: ${known.key} and ${e.key}`);
      }
      this.#byName.set(e.name, { key: e.key, name: e.name });
      if (!this.#byKey.has(e.key)) this.#byKey.set(e.key, { key: e.key, name: e.name });
    }
  }

  /** The candidate printed as `value`, else the one whose key is `value`. */
  resolve(value: string): CandidateName | undefined {
    return this.#byName.get(value) ?? this.#byKey.get(value);
  }
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ candidate, name, value }` for a scoreboard competitor `{ name, value }`. */
function competitor(entry: Json, names: CandidateNames): Json {
  if (!isObject(entry) || typeof entry.name !== 'string') return entry;
  const c = names.resolve(entry.name);
  if (c === undefined) return entry;
  const { name: _name, ...rest } = entry;
  return { candidate: c.key, name: c.name, ...rest };
}

/** A copy of `value` with every candidate named by key and display name (see the header). */
export function nameCandidates(value: Json, names: CandidateNames): Json {
  if (Array.isArray(value)) return value.map((v) => nameCandidates(v, names));
  if (!isObject(value)) return value;
  const scoreboardRow = Array.isArray(value.competitors);
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'candidate' && typeof v === 'string') {
      const c = names.resolve(v);
      if (c === undefined) {
        out.candidate = v;
        continue;
      }
      if ('name' in value && value.name !== c.name) {
        throw new Error(`an object names candidate "${v}" and also has name ${String(value.name)}`);
      }
      out.candidate = c.key;
      out.name = c.name;
    } else if (key === 'name' && typeof value.candidate === 'string') {
      // Written next to `candidate` above (or kept, when the candidate is unknown).
      if (!('name' in out)) out.name = v;
    } else if (scoreboardRow && key === 'competitors' && Array.isArray(v)) {
      out.competitors = v.map((e) => competitor(e, names));
    } else if (scoreboardRow && key === 'best') {
      out.best = competitor(v, names);
    } else if (scoreboardRow && key === 'reference' && isObject(v)) {
      const best = typeof v.bestName === 'string' ? names.resolve(v.bestName) : undefined;
      const ref: Record<string, Json> = {};
      for (const [rk, rv] of Object.entries(v)) {
        if (rk === 'bestName' && best !== undefined) ref.bestCandidate = best.key;
        ref[rk] = rv;
      }
      out.reference = ref;
    } else {
      out[key] = nameCandidates(v, names);
    }
  }
  return out;
}

/**
 * A document as written: `schemaVersion` and `tool` first, then `doc`'s
 * fields with the candidates named one way.
 */
export function publicDocument(
  doc: Json,
  names: CandidateNames,
  versions: ToolVersions,
): Record<string, Json> {
  const named = nameCandidates(doc, names);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'levee-bench', version: versions.bench, levee: versions.levee },
    ...(isObject(named) ? named : { value: named }),
  };
}
