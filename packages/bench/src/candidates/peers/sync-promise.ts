/**
 * A minimal promise whose reactions run synchronously, at the moment it
 * settles (or at once when `then` is called on a settled one).
 *
 * Used by the opossum adapter in two places:
 * - as the promise the protected action returns: the simulator settles it
 *   when the request completes, and opossum's `.then(...).catch(...)` handlers
 *   run right away, inside the same simulated instant, in the order opossum
 *   chained them — exactly what the microtasks would do a moment later with a
 *   native promise, but without leaving the synchronous simulation loop;
 * - as the global `Promise` while opossum code runs inside the adapter, so the
 *   promises opossum creates for its own caller (`fire()`'s result,
 *   `Promise.reject(openError)`) never reach V8's microtask queue or Node's
 *   unhandled-rejection list. Nothing observes those promises; without this a
 *   28-hour run (tens of millions of rejections, none of whose microtasks can
 *   run before the synchronous loop ends) would pile them up in memory.
 *
 * Not a general-purpose promise: no unhandled-rejection tracking, no async
 * ordering guarantees beyond "reactions run in registration order".
 */
type Reaction = (state: 1 | 2, value: unknown) => void;

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

export class SyncPromise<T = unknown> implements PromiseLike<T> {
  #state: 0 | 1 | 2 = PENDING;
  #value: unknown;
  #reactions: Reaction[] | undefined;
  /** Following a thenable: further resolve/reject calls are ignored. */
  #locked = false;

  constructor(
    executor?: (
      resolve: (value: T | PromiseLike<T>) => void,
      reject: (reason: unknown) => void,
    ) => void,
  ) {
    if (executor === undefined) return;
    try {
      executor(
        (value) => this.resolve(value),
        (reason) => this.reject(reason),
      );
    } catch (error) {
      this.reject(error);
    }
  }

  static resolve<U>(value: U | PromiseLike<U>): SyncPromise<U> {
    if (value instanceof SyncPromise) return value as SyncPromise<U>;
    const p = new SyncPromise<U>();
    p.resolve(value);
    return p;
  }

  static reject<U = never>(reason: unknown): SyncPromise<U> {
    const p = new SyncPromise<U>();
    p.reject(reason);
    return p;
  }

  /** True once resolved or rejected. */
  get settled(): boolean {
    return this.#state !== PENDING;
  }

  resolve(value: T | PromiseLike<T>): void {
    if (this.#state !== PENDING || this.#locked) return;
    this.#adopt(value);
  }

  /** Resolves with `value`, following it if it is a thenable (Promises/A+ §2.3). */
  #adopt(value: unknown): void {
    if (value === this) {
      this.#settle(REJECTED, new TypeError('a promise cannot resolve to itself'));
      return;
    }
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      let then: unknown;
      try {
        then = (value as { then?: unknown }).then;
      } catch (error) {
        this.#settle(REJECTED, error);
        return;
      }
      if (typeof then === 'function') {
        this.#locked = true;
        let done = false;
        try {
          then.call(
            value,
            (v: unknown) => {
              if (done) return;
              done = true;
              this.#adopt(v);
            },
            (e: unknown) => {
              if (done) return;
              done = true;
              this.#settle(REJECTED, e);
            },
          );
        } catch (error) {
          if (!done) {
            done = true;
            this.#settle(REJECTED, error);
          }
        }
        return;
      }
    }
    this.#settle(FULFILLED, value);
  }

  reject(reason: unknown): void {
    if (this.#state !== PENDING || this.#locked) return;
    this.#settle(REJECTED, reason);
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a promise.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): SyncPromise<R1 | R2> {
    const child = new SyncPromise<R1 | R2>();
    const react: Reaction = (state, value) => {
      const handler = state === FULFILLED ? onFulfilled : onRejected;
      if (typeof handler !== 'function') {
        if (state === FULFILLED) child.resolve(value as R1);
        else child.reject(value);
        return;
      }
      try {
        child.resolve((handler as (v: unknown) => R1 | R2)(value));
      } catch (error) {
        child.reject(error);
      }
    };
    if (this.#state === PENDING) (this.#reactions ??= []).push(react);
    else react(this.#state, this.#value);
    return child;
  }

  catch<R = never>(
    onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): SyncPromise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): SyncPromise<T> {
    return this.then(
      (value) => {
        onFinally?.();
        return value;
      },
      (reason) => {
        onFinally?.();
        throw reason;
      },
    );
  }

  #settle(state: 1 | 2, value: unknown): void {
    if (this.#state !== PENDING) return;
    this.#locked = false;
    this.#state = state;
    this.#value = value;
    const reactions = this.#reactions;
    if (reactions === undefined) return;
    this.#reactions = undefined;
    for (const react of reactions) react(state, value);
  }
}
