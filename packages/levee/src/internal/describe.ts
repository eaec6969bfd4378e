/**
 * How a rejected value is shown in an error message: strings quoted, bigints
 * with their `n`, functions by kind only (never their source text).
 *
 * @internal
 * @module
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}
