/**
 * `@leveejs/levee/http`: inbound load shedding for plain `node:http` servers,
 * and the admission primitive the Express and Fastify adapters build on.
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Levee, Permit } from '../core/levee.js';
import type { State, Trigger } from '../core/types.js';
import { describe } from '../internal/describe.js';
import {
  checkFunction,
  checkTimeoutOption,
  resolveRegistry,
  type WithRegistry,
  type WithSLO,
} from '../internal/options.js';
import { armTimer } from '../internal/timer.js';
import { type LeveeRegistry, RegistryFullError } from '../registry.js';

/** The key used when no `key` option is given: one class for the whole server. */
export const DEFAULT_KEY = 'default';

/** Options shared by {@link createGate}, {@link shedLoad} and the framework adapters. */
export interface GateOptionsBase<Req> {
  /**
   * The route class of a request, one Levee per class. Default: a single
   * class, {@link DEFAULT_KEY}, for the whole server. Keep the number of
   * classes small and never derive it from raw client input (full paths, query
   * strings): an attacker spraying random paths would churn the registry.
   */
  readonly key?: (req: Req) => string;
  /** Which final status codes count as failures. Default: `statusCode >= 500`. */
  readonly isFailure?: (statusCode: number) => boolean;
  /**
   * A handler still running this many milliseconds after admission counts as
   * a failure and its slot is released (later completion is ignored), like
   * `levee.call()` under `AbortSignal.timeout`. Default: the instance's
   * `slo.timeoutMs`. `false` disables the per-request timer (then only the
   * response or the connection closing completes the request).
   */
  readonly timeoutMs?: number | false;
  /**
   * How an admitted request counts when the client goes away before the
   * response finished (it aborted the request, or its connection closed).
   * `'cancel'` (the default): the slot is released without an outcome, as
   * for a caller's abort in `levee.call()`. A hang-up says nothing about the
   * server's health, and counting it as a failure would let any remote party
   * trip the breaker by sending requests and hanging up (#12). Slow handlers
   * are still caught: the `timeoutMs` timer records a failure first.
   * `'failure'`: count it as a failure (the earlier default), e.g. when
   * your clients' own deadlines are shorter than `timeoutMs` and a hang-up
   * usually means the server was too slow.
   */
  readonly clientAbort?: ClientAbort;
}

/** How a client hang-up counts: see {@link GateOptionsBase.clientAbort}. */
export type ClientAbort = 'cancel' | 'failure';

/** Options of {@link createGate} with one SLO: a registry is created for it. */
export interface GateOptionsWithSLO<Req> extends GateOptionsBase<Req>, WithSLO {}

/** Options of {@link createGate} with a registry you own (e.g. per-class SLOs, metrics). */
export interface GateOptionsWithRegistry<Req> extends GateOptionsBase<Req>, WithRegistry {}

/** Exactly one of `slo` or `registry`. */
export type GateOptions<Req = IncomingMessage> =
  | GateOptionsWithSLO<Req>
  | GateOptionsWithRegistry<Req>;

/** An admitted request. Complete it exactly once; later completions return false. */
export interface Ticket {
  readonly admitted: true;
  readonly key: string;
  readonly levee: Levee;
  /** True until completed. */
  readonly pending: boolean;
  /** Records the final status: a failure if `isFailure(statusCode)`, else a success. */
  finish(statusCode: number): boolean;
  /** Records a failure (timeout, the handler destroyed the response with an error). */
  fail(): boolean;
  /** Releases the slot without an outcome. */
  cancel(): boolean;
  /**
   * The client went away before the response finished: a cancel or a
   * failure, as the `clientAbort` option says (default: a cancel).
   */
  clientGone(): boolean;
}

/** A shed request: answer it with 503 and `Retry-After: retryAfterSeconds`. */
export interface Shed {
  readonly admitted: false;
  readonly key: string;
  /** `'circuit'`: the Levee shed it; `'registry-full'`: see {@link RegistryFullError}. */
  readonly reason: 'circuit' | 'registry-full';
  /** The breaker's state (`'OPEN'` for a full registry). */
  readonly state: State;
  /** Cause of the most recent state change. */
  readonly trigger: Trigger;
  /** The breaker's hint, milliseconds. */
  readonly retryAfterMs: number;
  /**
   * `Retry-After` value: whole seconds, `ceil(retryAfterMs / 1000)`, at
   * least 1 and at most {@link MAX_RETRY_AFTER_SECONDS}: always a finite
   * integer.
   */
  readonly retryAfterSeconds: number;
}

/** The admission primitive shared by the adapters. All members are plain functions (safe to detach). */
export interface Gate<Req = IncomingMessage> {
  readonly registry: LeveeRegistry;
  /**
   * Admits or sheds `req` for adapters that own the response lifecycle
   * (Fastify): no response is written, no listener attached. An admitted
   * request's {@link Ticket} must be completed exactly once; its SLO timer is
   * already armed.
   */
  acquire(req: Req): Ticket | Shed;
  /**
   * `node:http` admission. Returns true when the request was admitted: its
   * outcome is then recorded when the response ends (status via
   * `isFailure`), when the client goes away first (`clientAbort`, default a
   * cancel), when the handler destroys the response with an error (failure)
   * or at the SLO timeout (failure). Returns false when it was shed: a 503 with
   * `Retry-After` has been written (or `onShed` called) and the handler must
   * not run.
   */
  admit(req: Req, res: ServerResponse): boolean;
}

/** Options of the `node:http` forms ({@link createGate}'s `admit`, {@link shedLoad}). */
export type HttpGateOptions<Req = IncomingMessage> = GateOptions<Req> & {
  /** Writes the response of a shed request instead of the default 503 (must end the response). */
  readonly onShed?: (req: Req, res: ServerResponse, shed: Shed) => void;
};

/**
 * The largest `Retry-After` sent, in seconds: 2^31 − 1. RFC 9111 §1.2.2 lets
 * a recipient saturate delta-seconds at 2^31, and a client that parses the
 * header into a signed 32-bit integer can hold at most 2^31 − 1; a larger
 * value would be read as garbage or as negative. It only matters for hints
 * beyond 68 years (a huge `timeoutMs`), where the point is that the header
 * stays a finite integer.
 */
export const MAX_RETRY_AFTER_SECONDS = 2 ** 31 - 1;

/**
 * `Retry-After` seconds for a hint in milliseconds: ceil, at least 1, at most
 * {@link MAX_RETRY_AFTER_SECONDS}; a hint that is not a number ≥ 0 (NaN)
 * gives 1, an infinite one the maximum. Always a finite integer.
 */
export function retryAfterSeconds(retryAfterMs: number): number {
  if (!(retryAfterMs >= 0)) return 1;
  const seconds = Math.ceil(retryAfterMs / 1000);
  return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_SECONDS);
}

const defaultIsFailure = (statusCode: number): boolean => statusCode >= 500;
const defaultKey = (): string => DEFAULT_KEY;

function onTicketTimeout(ticket: TicketImpl): void {
  ticket.fail();
}

class TicketImpl implements Ticket {
  readonly admitted = true;
  readonly key: string;
  readonly levee: Levee;
  #permit: Permit | undefined;
  readonly #isFailure: (statusCode: number) => boolean;
  readonly #clientAbort: ClientAbort;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    key: string,
    levee: Levee,
    permit: Permit,
    isFailure: (statusCode: number) => boolean,
    timeoutMs: number | false,
    clientAbort: ClientAbort,
  ) {
    this.key = key;
    this.levee = levee;
    this.#permit = permit;
    this.#isFailure = isFailure;
    this.#clientAbort = clientAbort;
    this.#timer = armTimer(onTicketTimeout, timeoutMs, this);
  }

  get pending(): boolean {
    return this.#permit !== undefined;
  }

  finish(statusCode: number): boolean {
    const permit = this.#take();
    if (permit === undefined) return false;
    let failed: boolean;
    try {
      failed = this.#isFailure(statusCode);
    } catch (err) {
      permit.fail();
      throw err;
    }
    return failed ? permit.fail() : permit.success();
  }

  fail(): boolean {
    return this.#take()?.fail() ?? false;
  }

  cancel(): boolean {
    return this.#take()?.cancel() ?? false;
  }

  clientGone(): boolean {
    return this.#clientAbort === 'failure' ? this.fail() : this.cancel();
  }

  #take(): Permit | undefined {
    const permit = this.#permit;
    if (permit === undefined) return undefined;
    this.#permit = undefined;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    return permit;
  }
}

function shedFor(key: string, levee: Levee): Shed {
  const retryAfterMs = levee.retryAfterMs();
  return {
    admitted: false,
    key,
    reason: 'circuit',
    state: levee.state,
    trigger: levee.trigger,
    retryAfterMs,
    retryAfterSeconds: retryAfterSeconds(retryAfterMs),
  };
}

function registryFull(key: string): Shed {
  return {
    admitted: false,
    key,
    reason: 'registry-full',
    state: 'OPEN',
    trigger: 'NONE',
    retryAfterMs: 1000,
    retryAfterSeconds: 1,
  };
}

/** Writes the default shed response: 503, `Retry-After`, a short text body. */
export function writeShedResponse(res: ServerResponse, shed: Shed): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body =
    shed.reason === 'circuit'
      ? `Service Unavailable: load shed (${shed.state})\n`
      : 'Service Unavailable: too many route classes\n';
  res.writeHead(503, {
    'retry-after': String(shed.retryAfterSeconds),
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function checkClientAbort(value: unknown, name: string): ClientAbort {
  if (value === undefined) return 'cancel';
  if (value === 'cancel' || value === 'failure') return value;
  throw new TypeError(
    `${name}: options.clientAbort must be 'cancel' or 'failure', got ${describe(value)}`,
  );
}

/**
 * Builds the admission primitive: per request, the Levee of its route class
 * (`key`) admits it via `tryAcquire()` or sheds it. Used by {@link shedLoad},
 * `@leveejs/levee/express` and `@leveejs/levee/fastify`.
 *
 * `name` is how option errors name the caller (default `'createGate'`): an
 * adapter built on the gate passes its own public name, so that its users
 * read the function they called.
 */
export function createGate<Req = IncomingMessage>(
  options: HttpGateOptions<Req>,
  name = 'createGate',
): Gate<Req> {
  const registry = resolveRegistry(options, name);
  const { key = defaultKey, isFailure = defaultIsFailure, timeoutMs, onShed } = options;
  checkFunction('key', key);
  checkFunction('isFailure', isFailure);
  checkFunction('onShed', onShed);
  checkTimeoutOption(timeoutMs);
  const clientAbort = checkClientAbort(options.clientAbort, name);

  const acquire = (req: Req): Ticket | Shed => {
    const k = key(req);
    if (typeof k !== 'string') {
      throw new TypeError(`options.key must return a string, got ${describe(k)}`);
    }
    let levee: Levee;
    try {
      levee = registry.get(k);
    } catch (err) {
      if (err instanceof RegistryFullError) return registryFull(k);
      throw err;
    }
    const permit = levee.tryAcquire();
    if (permit === undefined) return shedFor(k, levee);
    return new TicketImpl(
      k,
      levee,
      permit,
      isFailure,
      timeoutMs === undefined ? levee.slo.timeoutMs : timeoutMs,
      clientAbort,
    );
  };

  const admit = (req: Req, res: ServerResponse): boolean => {
    const result = acquire(req);
    if (!result.admitted) {
      if (onShed === undefined) writeShedResponse(res, result);
      else onShed(req, res, result);
      return false;
    }
    // 'close' always follows 'finish' on a ServerResponse; one listener covers
    // both: finished → outcome from the status. Not finished: destroyed by the
    // handler with an error (`res.destroy(err)`, e.g. a failed `pipeline()`)
    // → failure; otherwise the client went away → `clientAbort`.
    res.once('close', () => {
      if (res.writableFinished) result.finish(res.statusCode);
      else if (res.errored) result.fail();
      else result.clientGone();
    });
    return true;
  };

  return { registry, acquire, admit };
}

/** A `node:http` request listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** What {@link shedLoad} returns: wrap handlers with it; `admit`/`acquire`/`registry` are exposed too. */
export interface ShedLoad extends Gate<IncomingMessage> {
  (handler: RequestListener): (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Inbound load shedding for `node:http`:
 *
 * ```ts
 * const shed = shedLoad({ slo: { successRate: 0.99, timeoutMs: 2000 } });
 * http.createServer(shed((req, res) => { ... })).listen(8080);
 * ```
 *
 * Shed requests get `503` with `Retry-After` and the handler never runs.
 * Admitted requests are completed exactly once: when the response ends
 * (`isFailure(statusCode)`, default 5xx → failure, else success), when the
 * client goes away before that (`clientAbort`, default a cancel), or after
 * `timeoutMs` (failure).
 */
export function shedLoad(options: HttpGateOptions<IncomingMessage>): ShedLoad {
  const gate = createGate(options, 'shedLoad');
  const { admit } = gate;
  const wrap = (handler: RequestListener) => {
    if (typeof handler !== 'function') {
      throw new TypeError(
        `shedLoad(options)(handler): handler must be a function, got ${describe(handler)}`,
      );
    }
    return (req: IncomingMessage, res: ServerResponse): void => {
      if (admit(req, res)) handler(req, res);
    };
  };
  return Object.assign(wrap, gate);
}
