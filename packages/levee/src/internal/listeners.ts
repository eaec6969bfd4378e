/**
 * Listener lists of the core and the registry: subscribe returns a
 * {@link Subscription}; the notify functions run the listeners on a copy of
 * the list, so a listener that (un)subscribes cannot disturb the others.
 *
 * - {@link notifyIsolated} (the core's state-change listeners): an exception
 *   goes to an error hook, else is reported as a process warning; it never
 *   reaches the caller or the process (docs/ALGORITHM.md §1.2).
 * - {@link notify} (the registry's listeners): an exception is re-thrown in a
 *   microtask.
 *
 * @internal
 * @module
 */
import type { Subscription } from '../core/types.js';
import { describe } from './describe.js';
import { DISPOSE } from './dispose.js';

/** Adds `listener` to `list`; throws a TypeError (and adds nothing) unless it is a function. */
export function subscribe<L>(list: L[], listener: L): Subscription {
  if (typeof listener !== 'function') {
    throw new TypeError(`listener must be a function, got ${describe(listener)}`);
  }
  list.push(listener);
  let active = true;
  const unsubscribe = (): void => {
    if (!active) return;
    active = false;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  };
  const sub = unsubscribe as Subscription;
  sub.unsubscribe = unsubscribe;
  sub[DISPOSE] = unsubscribe;
  return sub;
}

/**
 * Calls every listener of `list` with `args`; an exception is reported with
 * {@link reportListenerError} and never thrown (neither into the caller nor,
 * later, into the process).
 */
export function notify<A extends unknown[]>(list: Array<(...args: A) => void>, ...args: A): void {
  if (list.length === 0) return;
  for (const listener of list.slice()) {
    try {
      listener(...args);
    } catch (err) {
      reportListenerError(err);
    }
  }
}

/**
 * Calls every listener of `list` with `arg`. An exception goes to `onError`
 * (with `arg`) when given, else to {@link reportListenerError}; if `onError`
 * throws, that exception is reported instead. Nothing is ever thrown.
 */
export function notifyIsolated<A>(
  list: Array<(arg: A) => void>,
  arg: A,
  onError: ((error: unknown, arg: A) => void) | undefined,
): void {
  for (const listener of list.slice()) {
    try {
      listener(arg);
    } catch (err) {
      if (onError === undefined) {
        reportListenerError(err);
        continue;
      }
      try {
        onError(err, arg);
      } catch (hookErr) {
        reportListenerError(hookErr);
      }
    }
  }
}

/**
 * Reports a listener's exception without throwing: as a process warning
 * (`process.emitWarning`, name `LeveeListenerError`, the exception as its
 * `cause`) where `process.emitWarning` exists, else on `console.error`.
 */
export function reportListenerError(err: unknown): void {
  try {
    const proc = (globalThis as { process?: { emitWarning?: unknown } }).process;
    let detail: string;
    try {
      detail =
        err instanceof Error ? `${err.name}: ${err.message}` : `a non-Error value ${describe(err)}`;
    } catch {
      detail = 'a value that cannot be shown';
    }
    const warning = new Error(`a Levee listener threw ${detail}`, { cause: err });
    warning.name = 'LeveeListenerError';
    if (typeof proc?.emitWarning === 'function') {
      (proc.emitWarning as (w: Error) => void)(warning);
    } else if (typeof console !== 'undefined') {
      console.error(warning);
    }
  } catch {
    // Nowhere left to report to; the breaker must go on regardless.
  }
}
