/**
 * Parsers of option values, for the CLI's shared options and the suites' own.
 * Each throws `OptionValueError` (the offending text and why), which the CLI
 * turns into `invalid value for --<flag>: "<text>" (<why>)`.
 */
import { OptionValueError } from './suite.js';

const UNSIGNED_INT = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A non-negative safe integer; `what` names the expected value in the message. */
export function unsignedInt(value: string, what: string): number {
  if (!UNSIGNED_INT.test(value)) throw new OptionValueError(value, `expected ${what}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new OptionValueError(value, `must be at most ${Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

/** A plain decimal number (no sign, no exponent). */
export function decimal(value: string, what: string): number {
  if (!DECIMAL.test(value)) throw new OptionValueError(value, `expected ${what}`);
  const n = Number(value);
  if (!Number.isFinite(n)) throw new OptionValueError(value, `expected ${what}`);
  return n;
}

/** A success rate strictly between 0 and 1; `whole` is the option's whole value (for a list entry). */
export function successRate(text: string, whole: string = text): number {
  const rate = decimal(text, 'a success rate such as 0.9');
  if (!(rate > 0 && rate < 1)) {
    throw new OptionValueError(whole, `${text} is not strictly between 0 and 1`);
  }
  return rate;
}

/** A comma-separated list of distinct numbers, each parsed by `each`. */
export function numberList(value: string, each: (text: string) => number): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new OptionValueError(value, 'empty entry in the list');
  const out = parts.map(each);
  const seen = new Set<number>();
  for (const n of out) {
    if (seen.has(n)) throw new OptionValueError(value, `${n} is listed twice`);
    seen.add(n);
  }
  return out;
}

/** A comma-separated list of distinct names from `known` (case-insensitive), spelled as in `known`. */
export function nameList(value: string, known: readonly string[], what: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new OptionValueError(value, `empty ${what} name; use a comma-separated list`);
  }
  const seen = new Set<string>();
  return names.map((name) => {
    const match = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (match === undefined) {
      throw new OptionValueError(value, `unknown ${what} "${name}"; known: ${known.join(', ')}`);
    }
    if (seen.has(match)) throw new OptionValueError(value, `"${name}" is listed twice`);
    seen.add(match);
    return match;
  });
}
