/**
 * `@leveejs/levee/undici`: an undici 7 interceptor (for `dispatcher.compose()`)
 * that protects each origin with its own Levee, for code that uses undici's
 * `request`/`stream`/`fetch` with a dispatcher. `undici` is imported for its
 * types only.
 *
 * @packageDocumentation
 */
import type { Dispatcher } from 'undici';
import type { Levee, Permit } from '../core/levee.js';
import { isFailureStatus, noResponseOutcome } from '../internal/classify.js';
import { describe } from '../internal/describe.js';
import {
  checkFunction,
  checkTimeoutOption,
  resolveRegistry,
  type WithRegistry,
  type WithSLO,
} from '../internal/options.js';
import { armTimer } from '../internal/timer.js';
import type { LeveeRegistry } from '../registry.js';
import type { FetchOutcome } from './fetch.js';

type DispatchOptions = Dispatcher.DispatchOptions;
type DispatchHandler = Dispatcher.DispatchHandler;
type DispatchController = Dispatcher.DispatchController;

/** Extra facts handed to {@link UndiciClassifier}. */
export interface UndiciClassifyContext {
  readonly key: string;
  /** Levee's deadline fired before the response headers arrived. */
  readonly timedOut: boolean;
  /** The caller aborted (its signal, `controller.abort()`) before the response headers arrived. */
  readonly callerAborted: boolean;
}

/**
 * Classifies an attempt: `statusCode` when the response headers arrived
 * (`err` undefined), or `err` when it failed before that.
 */
export type UndiciClassifier = (
  statusCode: number | undefined,
  err: Error | undefined,
  context: UndiciClassifyContext,
) => FetchOutcome;

/** Options shared by both forms of {@link LeveeInterceptorOptions}. */
export interface LeveeInterceptorOptionsBase {
  /** Registry key of a request. Default: its origin. */
  readonly key?: (opts: DispatchOptions) => string;
  /** Default: 5xx and 429 → failure, other statuses → success; deadline → failure; caller abort → ignore; other errors → failure. */
  readonly classify?: UndiciClassifier;
  /**
   * Deadline until the response headers, ms: when it fires the request is
   * aborted with a `TimeoutError` and counted as a failure. Default: the
   * instance's `slo.timeoutMs`; `false` disables it. The body is left to
   * undici's `bodyTimeout`.
   */
  readonly timeoutMs?: number | false;
}

/** Options of {@link leveeInterceptor} with one SLO for every origin. */
export interface LeveeInterceptorOptionsWithSLO extends LeveeInterceptorOptionsBase, WithSLO {}

/** Options of {@link leveeInterceptor} with a registry you own. */
export interface LeveeInterceptorOptionsWithRegistry
  extends LeveeInterceptorOptionsBase,
    WithRegistry {}

/** Exactly one of `slo` or `registry`. */
export type LeveeInterceptorOptions =
  | LeveeInterceptorOptionsWithSLO
  | LeveeInterceptorOptionsWithRegistry;

/** The interceptor, with its registry (for metrics). */
export type LeveeInterceptor = Dispatcher.DispatcherComposeInterceptor & {
  readonly registry: LeveeRegistry;
};

const defaultClassify: UndiciClassifier = (statusCode, err, context) => {
  if (statusCode !== undefined) return isFailureStatus(statusCode) ? 'failure' : 'success';
  return noResponseOutcome(err, context);
};

function originKey(opts: DispatchOptions): string {
  const { origin } = opts;
  if (origin === undefined) return '';
  return typeof origin === 'string' ? origin : origin.origin;
}

/** A controller for a request that never reached the dispatcher (shed). */
function deadController(reason: Error): DispatchController {
  return {
    aborted: true,
    paused: false,
    reason,
    rawHeaders: null,
    rawTrailers: null,
    abort() {},
    pause() {},
    resume() {},
  };
}

/** The controller handed downstream: delegates, and notes aborts coming from the caller. */
class CallerController implements DispatchController {
  readonly #upstream: DispatchController;
  readonly #onAbort: () => void;

  constructor(upstream: DispatchController, onAbort: () => void) {
    this.#upstream = upstream;
    this.#onAbort = onAbort;
  }

  get aborted(): boolean {
    return this.#upstream.aborted;
  }
  get paused(): boolean {
    return this.#upstream.paused;
  }
  get reason(): Error | null {
    return this.#upstream.reason;
  }
  get rawHeaders(): NonNullable<DispatchController['rawHeaders']> | null {
    return this.#upstream.rawHeaders ?? null;
  }
  get rawTrailers(): NonNullable<DispatchController['rawTrailers']> | null {
    return this.#upstream.rawTrailers ?? null;
  }
  abort(reason: Error): void {
    this.#onAbort();
    this.#upstream.abort(reason);
  }
  pause(): void {
    this.#upstream.pause();
  }
  resume(): void {
    this.#upstream.resume();
  }
}

function onDeadline(handler: LeveeHandler): void {
  handler.deadline();
}

class LeveeHandler implements DispatchHandler {
  readonly #handler: DispatchHandler;
  readonly #key: string;
  readonly #classify: UndiciClassifier;
  #permit: Permit | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #upstream: DispatchController | undefined;
  #downstream: DispatchController | undefined;
  #timedOut = false;
  #callerAborted = false;
  readonly #markCallerAbort = (): void => {
    if (!this.#timedOut) this.#callerAborted = true;
  };

  constructor(
    handler: DispatchHandler,
    key: string,
    permit: Permit,
    classify: UndiciClassifier,
    timeoutMs: number | false,
  ) {
    this.#handler = handler;
    this.#key = key;
    this.#permit = permit;
    this.#classify = classify;
    this.#timer = armTimer(onDeadline, timeoutMs, this);
  }

  /** The deadline fired before the headers: failure now, abort as soon as there is a controller. */
  deadline(): void {
    this.#timer = undefined;
    if (this.#permit === undefined) return;
    this.#timedOut = true;
    this.#settle(undefined, undefined);
    this.#upstream?.abort(timeoutError());
  }

  /** Releases the slot without an outcome (the request was never dispatched). */
  release(): void {
    const permit = this.#permit;
    if (permit === undefined) return;
    this.#permit = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    permit.cancel();
  }

  #settle(statusCode: number | undefined, err: Error | undefined): void {
    const permit = this.#permit;
    if (permit === undefined) return;
    this.#permit = undefined;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    let outcome: FetchOutcome;
    try {
      outcome = this.#classify(statusCode, err, {
        key: this.#key,
        timedOut: this.#timedOut,
        callerAborted: this.#callerAborted,
      });
    } catch (classifyErr) {
      permit.cancel();
      queueMicrotask(() => {
        throw classifyErr;
      });
      return;
    }
    if (outcome === 'success') permit.success();
    else if (outcome === 'failure') permit.fail();
    else {
      permit.cancel();
      if (outcome !== 'ignore') {
        queueMicrotask(() => {
          throw new TypeError(
            `options.classify must return 'success', 'failure' or 'ignore', got ${describe(outcome)}`,
          );
        });
      }
    }
  }

  onRequestStart(controller: DispatchController, context: unknown): void {
    this.#upstream = controller;
    const downstream = new CallerController(controller, this.#markCallerAbort);
    this.#downstream = downstream;
    if (this.#timedOut) {
      controller.abort(timeoutError());
      return;
    }
    this.#handler.onRequestStart?.(downstream, context);
  }

  onRequestUpgrade(
    controller: DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<DispatchHandler['onRequestUpgrade']>>[2],
    socket: Parameters<NonNullable<DispatchHandler['onRequestUpgrade']>>[3],
  ): void {
    this.#settle(statusCode, undefined);
    this.#handler.onRequestUpgrade?.(this.#downstream ?? controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<DispatchHandler['onResponseStart']>>[2],
    statusMessage?: string,
  ): void {
    if (statusCode >= 200) this.#settle(statusCode, undefined);
    this.#handler.onResponseStart?.(
      this.#downstream ?? controller,
      statusCode,
      headers,
      statusMessage,
    );
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    this.#handler.onResponseData?.(this.#downstream ?? controller, chunk);
  }

  onResponseEnd(
    controller: DispatchController,
    trailers: Parameters<NonNullable<DispatchHandler['onResponseEnd']>>[1],
  ): void {
    this.#handler.onResponseEnd?.(this.#downstream ?? controller, trailers);
  }

  onResponseError(controller: DispatchController, err: Error): void {
    this.#settle(undefined, err);
    this.#handler.onResponseError?.(this.#downstream ?? controller, err);
  }
}

function timeoutError(): Error {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

function shed(handler: DispatchHandler, err: Error): boolean {
  queueMicrotask(() => handler.onResponseError?.(deadController(err), err));
  return true;
}

/**
 * The undici interceptor:
 *
 * ```ts
 * import { Agent, request } from 'undici';
 * const dispatcher = new Agent().compose(leveeInterceptor({ slo: { successRate: 0.99, timeoutMs: 2000 } }));
 * await request('https://api.example.com/v1/items', { dispatcher });
 * ```
 *
 * Shed requests fail with a `ShedError` (`CircuitOpenError` or `LimitReachedError`)
 * without being dispatched.
 * Admitted ones are completed exactly once, at the response headers (or the
 * upgrade), at the error before them, or at the deadline.
 *
 * `request()`, `stream()` and `pipeline()` reject with the shed error
 * itself. `fetch` (undici's, or Node's own over `setGlobalDispatcher()`)
 * wraps every dispatch error: a shed request rejects with `TypeError: fetch
 * failed` whose `cause` is the shed error, which `isShedError(err)` and
 * `findShedError(err)` recognise there (the error is passed on unchanged, so
 * `err.cause` is the Levee error with its `state` and `retryAfterMs`).
 */
export function leveeInterceptor(options: LeveeInterceptorOptions): LeveeInterceptor {
  const registry = resolveRegistry(options, 'leveeInterceptor');
  const { key = originKey, classify = defaultClassify, timeoutMs } = options;
  checkFunction('key', key);
  checkFunction('classify', classify);
  checkTimeoutOption(timeoutMs);

  const interceptor = (dispatch: Dispatcher.Dispatch): Dispatcher.Dispatch => {
    return (opts: DispatchOptions, handler: DispatchHandler): boolean => {
      const k = key(opts);
      if (typeof k !== 'string') {
        return shed(handler, new TypeError(`options.key must return a string, got ${describe(k)}`));
      }
      let levee: Levee;
      try {
        levee = registry.get(k);
      } catch (err) {
        return shed(handler, err as Error);
      }
      const permit = levee.tryAcquire();
      if (permit === undefined) {
        return shed(handler, levee.shedError());
      }
      const ms = timeoutMs === undefined ? levee.slo.timeoutMs : timeoutMs;
      const leveeHandler = new LeveeHandler(handler, k, permit, classify, ms);
      try {
        return dispatch(opts, leveeHandler);
      } catch (err) {
        leveeHandler.release(); // never dispatched: no outcome
        throw err;
      }
    };
  };
  return Object.assign(interceptor, { registry });
}
