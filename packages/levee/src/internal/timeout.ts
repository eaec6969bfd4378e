/**
 * Timeout detection, the same everywhere: an abort reason or an error counts
 * as a timeout when its `name` is `'TimeoutError'` (what
 * `AbortSignal.timeout()` produces, across realms).
 *
 * @internal
 * @module
 */
export function isTimeoutError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TimeoutError'
  );
}
