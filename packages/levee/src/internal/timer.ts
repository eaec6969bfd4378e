/**
 * Per-request deadlines of the integrations. No runtime import of Node
 * built-ins (`fetch` stays usable on any runtime with `AbortSignal.timeout`).
 *
 * @internal
 * @module
 */

/** Largest delay Node's timers accept; longer deadlines are not applied. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The whole milliseconds of a deadline option, or undefined when none applies
 * (`false`, or too long for a timer).
 */
export function deadlineMs(timeoutMs: number | false): number | undefined {
  return timeoutMs !== false && timeoutMs <= MAX_TIMER_MS ? Math.ceil(timeoutMs) : undefined;
}

/**
 * Arms an unref'd timer calling `fn(arg)` after the deadline (it never keeps
 * the process alive); undefined when no deadline applies.
 */
export function armTimer<A>(
  fn: (arg: A) => void,
  timeoutMs: number | false,
  arg: A,
): ReturnType<typeof setTimeout> | undefined {
  const ms = deadlineMs(timeoutMs);
  if (ms === undefined) return undefined;
  const timer = setTimeout(fn, ms, arg);
  timer.unref?.();
  return timer;
}
