/**
 * `@leveejs/levee/fetch`: a `fetch`-compatible function that protects each
 * origin (or any key) with its own Levee.
 *
 * @packageDocumentation
 */
import type { ShedError } from '../core/errors.js';
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
import { deadlineMs } from '../internal/timer.js';
import type { LeveeRegistry } from '../registry.js';

export { isFailureStatus } from '../internal/classify.js';

/** How a request counts: `'ignore'` releases the slot without an outcome. */
export type FetchOutcome = 'success' | 'failure' | 'ignore';

/** Extra facts handed to {@link FetchClassifier}. */
export interface ClassifyContext {
  /** The registry key of the request. */
  readonly key: string;
  /** The SLO deadline (`timeoutMs`) fired before the response headers arrived. */
  readonly timedOut: boolean;
  /** The caller's own signal aborted before the response headers arrived. */
  readonly callerAborted: boolean;
}

/**
 * Classifies an attempt once the response headers arrived (`res` set, `err`
 * undefined) or the request failed before that (`res` undefined, `err` the
 * rejection).
 */
export type FetchClassifier = (
  res: Response | undefined,
  err: unknown,
  context: ClassifyContext,
) => FetchOutcome;

/** The registry key of a request. */
export type FetchKey = (url: URL, init: RequestInit | undefined) => string;

/** Options shared by both forms of {@link CreateFetchOptions}. */
export interface CreateFetchOptionsBase {
  /** The underlying fetch. Default: `globalThis.fetch`, looked up at each call. */
  readonly fetch?: typeof globalThis.fetch;
  /** Outcome of an attempt. Default: {@link defaultClassify}. */
  readonly classify?: FetchClassifier;
  /** Registry key of a request. Default: the URL's origin (`https://api.example.com:8443`). */
  readonly key?: FetchKey;
  /**
   * Deadline of each request in milliseconds, applied with
   * `AbortSignal.timeout()` and combined with the caller's signal. Default:
   * the instance's `slo.timeoutMs`. `false`: no deadline from Levee.
   */
  readonly timeoutMs?: number | false;
}

/** Options of {@link createFetch} with one SLO for every origin. */
export interface CreateFetchOptionsWithSLO extends CreateFetchOptionsBase, WithSLO {}

/** Options of {@link createFetch} with a registry you own (per-key SLOs, metrics, bounds). */
export interface CreateFetchOptionsWithRegistry extends CreateFetchOptionsBase, WithRegistry {}

/** Exactly one of `slo` or `registry`. */
export type CreateFetchOptions = CreateFetchOptionsWithSLO | CreateFetchOptionsWithRegistry;

/** A `fetch` with Levee in front; `registry` holds the per-key instances (for metrics). */
export type LeveeFetch = typeof globalThis.fetch & { readonly registry: LeveeRegistry };

/**
 * The default classification: 5xx and 429 → failure, any other status →
 * success; Levee's deadline → failure; an abort by the caller → ignore
 * (unless its reason is a `TimeoutError`: the caller's own deadline counts as
 * a failure, as in `levee.call()`); any other error (network, DNS, TLS) →
 * failure.
 */
export function defaultClassify(
  res: Response | undefined,
  err: unknown,
  context: ClassifyContext,
): FetchOutcome {
  if (res !== undefined) return isFailureStatus(res.status) ? 'failure' : 'success';
  return noResponseOutcome(err, context);
}

const originKey: FetchKey = (url) => url.origin;

function toURL(input: RequestInfo | URL): URL {
  if (input instanceof URL) return input;
  if (typeof input === 'string') return new URL(input);
  return new URL(input.url);
}

function shedError(levee: Levee): ShedError {
  return levee.shedError();
}

function settle(permit: Permit, outcome: FetchOutcome): void {
  if (outcome === 'success') permit.success();
  else if (outcome === 'failure') permit.fail();
  else if (outcome === 'ignore') permit.cancel();
  else {
    permit.cancel();
    throw new TypeError(
      `options.classify must return 'success', 'failure' or 'ignore', got ${describe(outcome)}`,
    );
  }
}

/**
 * Wraps `fetch` with one Levee per origin (or per `key`):
 *
 * ```ts
 * const fetch = createFetch({ slo: { successRate: 0.99, timeoutMs: 2000 } });
 * const res = await fetch('https://api.example.com/v1/items'); // may reject with a ShedError
 * ```
 *
 * - Shed requests reject with a {@link ShedError} itself (`CircuitOpenError`
 *   or `LimitReachedError`) before anything is sent (no connection, no DNS
 *   lookup): unlike undici's interceptor under `fetch`, there is no
 *   `TypeError: fetch failed` around it.
 * - Each admitted request gets `AbortSignal.timeout(slo.timeoutMs)`, combined
 *   with the caller's signal by `AbortSignal.any`; as with a plain
 *   `fetch(url, { signal })`, the deadline also covers reading the body.
 * - The outcome is recorded **when the response headers arrive** (or the
 *   request fails before that). The dependency has done its work by then; the
 *   body transfer is paced by the consumer, and a body that is never read
 *   would otherwise hold the slot forever. Streaming responses (SSE,
 *   downloads) are outside Levee's design envelope: use `timeoutMs: false`
 *   and your own signal for them, or a separate key.
 * - Failures are classified by `classify` (default {@link defaultClassify}).
 *   5xx/429 responses are still returned, never thrown.
 */
export function createFetch(options: CreateFetchOptions): LeveeFetch {
  const registry = resolveRegistry(options, 'createFetch');
  const { fetch: baseFetch, classify = defaultClassify, key = originKey, timeoutMs } = options;
  checkFunction('fetch', baseFetch);
  checkFunction('classify', classify);
  checkFunction('key', key);
  checkTimeoutOption(timeoutMs);

  const leveeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = toURL(input);
    const k = key(url, init);
    if (typeof k !== 'string') {
      throw new TypeError(`options.key must return a string, got ${describe(k)}`);
    }
    const levee = registry.get(k);
    const callerSignal =
      init?.signal ?? (typeof input === 'object' && 'signal' in input ? input.signal : undefined);
    if (callerSignal?.aborted) throw callerSignal.reason;

    const permit = levee.tryAcquire();
    if (permit === undefined) throw shedError(levee);

    let deadline: AbortSignal | undefined;
    let signal = callerSignal ?? undefined;
    const ms = deadlineMs(timeoutMs === undefined ? levee.slo.timeoutMs : timeoutMs);
    if (ms !== undefined) {
      deadline = AbortSignal.timeout(ms);
      signal = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    }

    let res: Response;
    try {
      res = await (baseFetch ?? globalThis.fetch)(
        input,
        signal === undefined ? init : { ...init, signal },
      );
    } catch (err) {
      const timedOut = deadline?.aborted === true && signal?.reason === deadline.reason;
      const callerAborted = !timedOut && callerSignal?.aborted === true;
      let outcome: FetchOutcome;
      try {
        outcome = classify(undefined, err, { key: k, timedOut, callerAborted });
      } catch (classifyErr) {
        permit.cancel();
        throw classifyErr;
      }
      settle(permit, outcome);
      throw err;
    }
    let outcome: FetchOutcome;
    try {
      outcome = classify(res, undefined, { key: k, timedOut: false, callerAborted: false });
    } catch (classifyErr) {
      permit.cancel();
      throw classifyErr;
    }
    settle(permit, outcome);
    return res;
  };
  return Object.assign(leveeFetch, { registry }) as LeveeFetch;
}
