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
}

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
  /** Records a failure (connection closed early, timeout). */
  fail(): boolean;
  /** Releases the slot without an outcome. */
  cancel(): boolean;
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
  /** `Retry-After` value: whole seconds, `ceil(retryAfterMs / 1000)`, at least 1. */
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
   * `isFailure`), when the connection closes first (failure) or at the SLO
   * timeout (failure). Returns false when it was shed: a 503 with
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

/** `Retry-After` seconds for a hint in milliseconds: ceil, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(Math.ceil(retryAfterMs / 1000), 1);
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
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    key: string,
    levee: Levee,
    permit: Permit,
    isFailure: (statusCode: number) => boolean,
    timeoutMs: number | false,
  ) {
    this.key = key;
    this.levee = levee;
    this.#permit = permit;
    this.#isFailure = isFailure;
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

/**
 * Builds the admission primitive: per request, the Levee of its route class
 * (`key`) admits it via `tryAcquire()` or sheds it. Used by {@link shedLoad},
 * `@leveejs/levee/express` and `@leveejs/levee/fastify`.
 */
export function createGate<Req = IncomingMessage>(options: HttpGateOptions<Req>): Gate<Req> {
  const registry = resolveRegistry(options, 'createGate');
  const { key = defaultKey, isFailure = defaultIsFailure, timeoutMs, onShed } = options;
  checkFunction('key', key);
  checkFunction('isFailure', isFailure);
  checkFunction('onShed', onShed);
  checkTimeoutOption(timeoutMs);

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
    // both: finished → outcome from the status, not finished → early close.
    res.once('close', () => {
      if (res.writableFinished) result.finish(res.statusCode);
      else result.fail();
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
 * connection closes before that (failure), or after `timeoutMs` (failure).
 */
export function shedLoad(options: HttpGateOptions<IncomingMessage>): ShedLoad {
  const gate = createGate(options);
  const { admit } = gate;
  const wrap = (handler: RequestListener) => {
    if (typeof handler !== 'function') {
      throw new TypeError(`handler must be a function, got ${describe(handler)}`);
    }
    return (req: IncomingMessage, res: ServerResponse): void => {
      if (admit(req, res)) handler(req, res);
    };
  };
  return Object.assign(wrap, gate);
}
