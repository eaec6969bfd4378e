import { STATES, type State, TRIGGERS, type Trigger } from './types.js';

/**
 * Why a call was shed:
 * - `'open'`: the circuit is OPEN (the dependency failed even one call at a
 *   time); nothing is sent until the cooldown ends;
 * - `'limit'`: the adaptive concurrency limit is full (THROTTLED, HALF_OPEN, or
 *   CLOSED during graduated recovery);
 * - `'probe'`: at the floor limit of one call, the one probe of the current
 *   evaluation window has already been sent.
 */
export type ShedReason = 'open' | 'limit' | 'probe';

/** Machine-readable codes of the shed errors, one per class. */
export type ShedCode = 'ERR_CIRCUIT_OPEN' | 'ERR_LIMIT_REACHED';

/** Largest `retryAfterMs`: the longest delay a JavaScript timer can wait (about 24.8 days). */
export const MAX_RETRY_AFTER_MS = 2_147_483_647;

const PREFIXES = [
  'circuit breaker is open',
  'concurrency limit reached',
  'concurrency limit reached: one probe per evaluation window at limit 1',
] as const;
/** Messages built once per (kind, state, trigger): a shed call allocates no string. */
const MESSAGES: Array<string | undefined> = [];

function message(kind: 0 | 1 | 2, state: State, trigger: Trigger): string {
  const s = STATES.indexOf(state);
  const t = TRIGGERS.indexOf(trigger);
  const i = s < 0 || t < 0 ? -1 : (kind * STATES.length + s) * TRIGGERS.length + t;
  const cached = i < 0 ? undefined : MESSAGES[i];
  if (cached !== undefined) return cached;
  const text = `${PREFIXES[kind]} (state ${String(state)}, trigger ${String(trigger)})`;
  if (i >= 0) MESSAGES[i] = text; // values not ours are formatted each time, never cached
  return text;
}

/**
 * The common base of the errors a shed call is rejected with: Levee did not
 * run the call, so nothing downstream was touched. Never thrown itself: a shed
 * call gets a {@link CircuitOpenError} or a {@link LimitReachedError}. Test
 * for either with {@link isShedError} (which also looks inside `cause`
 * chains, e.g. undici's `TypeError: fetch failed`).
 */
export abstract class ShedError extends Error {
  declare readonly name: 'CircuitOpenError' | 'LimitReachedError';
  /** Stable machine-readable code of the class. */
  declare readonly code: ShedCode;
  /** Why the call was shed. */
  readonly reason: ShedReason;
  /** The breaker's state when the call was shed. */
  readonly state: State;
  /** The cause of the most recent state change (NONE if there was none yet). */
  readonly trigger: Trigger;
  /**
   * A hint for clients: milliseconds until a retry has a fair chance of being
   * admitted. Always finite, at most {@link MAX_RETRY_AFTER_MS}.
   */
  readonly retryAfterMs: number;

  protected constructor(
    message: string,
    reason: ShedReason,
    state: State,
    trigger: Trigger,
    retryAfterMs: number,
  ) {
    super(message);
    this.reason = reason;
    this.state = state;
    this.trigger = trigger;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The circuit is OPEN: the dependency kept failing even at one call at a
 * time, so Levee sends nothing until the cooldown ends (`retryAfterMs`).
 * `reason` is `'open'`, `state` is `'OPEN'`.
 */
export class CircuitOpenError extends ShedError {
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'ERR_CIRCUIT_OPEN';
  declare readonly reason: 'open';

  constructor(state: State, trigger: Trigger, retryAfterMs: number) {
    super(message(0, state, trigger), 'open', state, trigger, retryAfterMs);
  }
}

/**
 * The adaptive concurrency limit is full (`reason` `'limit'`), or at the floor
 * limit of one the window's single probe has been sent (`reason` `'probe'`).
 * The dependency is not known to be broken: Levee is matching the load to
 * what it can carry. `state` is THROTTLED, HALF_OPEN, or CLOSED during
 * graduated recovery.
 */
export class LimitReachedError extends ShedError {
  declare readonly name: 'LimitReachedError';
  declare readonly code: 'ERR_LIMIT_REACHED';
  declare readonly reason: 'limit' | 'probe';

  constructor(
    state: State,
    trigger: Trigger,
    retryAfterMs: number,
    reason: 'limit' | 'probe' = 'limit',
  ) {
    super(
      message(reason === 'probe' ? 2 : 1, state, trigger),
      reason,
      state,
      trigger,
      retryAfterMs,
    );
  }
}

// Constant per class: on the prototype, so that an instance carries only its
// own four fields and the message (the rejected path allocates one object).
for (const [cls, name, code] of [
  [CircuitOpenError, 'CircuitOpenError', 'ERR_CIRCUIT_OPEN'],
  [LimitReachedError, 'LimitReachedError', 'ERR_LIMIT_REACHED'],
] as const) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  Object.defineProperty(cls.prototype, 'code', { value: code, writable: true, configurable: true });
}

/** How deep {@link findShedError} follows `cause` links (cycles end there too). */
const MAX_CAUSE_DEPTH = 16;

function codeOf(err: object): unknown {
  try {
    return (err as { code?: unknown }).code;
  } catch {
    return undefined;
  }
}

function causeOf(err: object): unknown {
  try {
    return (err as { cause?: unknown }).cause;
  } catch {
    return undefined;
  }
}

/**
 * The shed error in `err` or in its `cause` chain (followed at most 16 links
 * deep), or undefined. Recognises errors from other realms and duplicate
 * installs by their `code`. Use it to read `retryAfterMs` from a wrapped error
 * such as undici's `TypeError: fetch failed`.
 */
export function findShedError(err: unknown): ShedError | undefined {
  let e = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof e !== 'object' || e === null) return undefined;
    if (e instanceof ShedError) return e;
    const code = codeOf(e);
    if (code === 'ERR_CIRCUIT_OPEN' || code === 'ERR_LIMIT_REACHED') return e as ShedError;
    e = causeOf(e);
  }
  return undefined;
}

/** True when Levee shed the call (`err` or its `cause` chain holds a {@link ShedError}). */
export function isShedError(err: unknown): boolean {
  return findShedError(err) !== undefined;
}

/**
 * True when `err` (or its `cause` chain) is a {@link CircuitOpenError}: the
 * circuit was OPEN. A call shed because the concurrency limit was full is a
 * {@link LimitReachedError} and gives false here; use {@link isShedError} for
 * "Levee shed this call, whatever the reason".
 */
export function isCircuitOpenError(err: unknown): boolean {
  return findShedError(err)?.code === 'ERR_CIRCUIT_OPEN';
}

/** True when `err` (or its `cause` chain) is a {@link LimitReachedError}. */
export function isLimitReachedError(err: unknown): boolean {
  return findShedError(err)?.code === 'ERR_LIMIT_REACHED';
}

/**
 * Misuse of the out-of-band API that would corrupt the accounting, e.g. a
 * completion reported when no call is in flight. Nothing is changed when it is
 * thrown.
 */
export class LeveeUsageError extends Error {
  override readonly name = 'LeveeUsageError';
  readonly code = 'ERR_LEVEE_USAGE';
}
