/**
 * Listener lists of the core and the registry: subscribe returns a
 * {@link Subscription}; notify runs the listeners on a copy of the list and
 * re-throws their exceptions asynchronously, so a throwing listener cannot
 * corrupt the caller's state or keep the others from running.
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

/** Calls every listener of `list` with `args`; an exception is re-thrown in a microtask. */
export function notify<A extends unknown[]>(list: Array<(...args: A) => void>, ...args: A): void {
  if (list.length === 0) return;
  for (const listener of list.slice()) {
    try {
      listener(...args);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
