/**
 * The client-model options of the closed-loop suites, the cooperation suite
 * and (for the tick) the prescient suite, all off by default:
 *
 * - `--retry POLICY`: clients retry failed and refused requests
 *   (src/sim/orchestrator/caller.ts, docs/BENCHMARKS.md §9.2). POLICY is a
 *   number of attempts (`--retry 4`) or comma-separated `key=value` entries:
 *   `attempts`, `base-ms`, `cap-ms`, `jitter` (full, equal, none),
 *   `retry-blocked` (yes, no), `budget` (`finagle`, or a ratio of retries per
 *   request), `budget-min-per-s`, `budget-ttl-s`. Entries not given keep
 *   `DEFAULT_RETRY_POLICY` (and Finagle's budget defaults).
 * - `--tick-ms MS`: completions delivered the way an event loop does, in
 *   ticks of MS milliseconds (docs/BENCHMARKS.md §9.3).
 */
import {
  checkRetryPolicy,
  DEFAULT_RETRY_POLICY,
  FINAGLE_BUDGET,
  type JitterMode,
  type RetryPolicy,
} from '../../sim/orchestrator/caller.js';
import { decimal, unsignedInt } from '../shared/option-values.js';
import { OptionValueError, type SuiteOption, type SuiteOptions } from '../shared/suite.js';
import type { ClientModel } from './runner.js';

/** The fields the options fill in. */
export interface ClientOptions {
  /** `--retry`. */
  retry: RetryPolicy;
  /** `--tick-ms`. */
  tickMs: number;
}

/** Longest tick accepted, ms: an event-loop iteration longer than a second is a stall, not a tick. */
export const MAX_TICK_MS = 1000;

/** Parses `--tick-ms`: milliseconds in (0, 1000], at least 1 ns. */
export function parseTickMs(value: string): number {
  const ms = decimal(value, 'milliseconds such as 1');
  if (!(ms > 0) || Math.round(ms * 1e6) < 1) {
    throw new OptionValueError(value, 'must be at least 0.000001 (1 ns)');
  }
  if (ms > MAX_TICK_MS) throw new OptionValueError(value, `must be at most ${MAX_TICK_MS}`);
  return ms;
}

const RETRY_KEYS = [
  'attempts',
  'base-ms',
  'cap-ms',
  'jitter',
  'retry-blocked',
  'budget',
  'budget-min-per-s',
  'budget-ttl-s',
] as const;

/** Parses `--retry` (see the module comment). */
export function parseRetryPolicy(value: string): RetryPolicy {
  const text = value.trim();
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  if (/^\d+$/.test(text)) {
    policy.attempts = unsignedInt(text, 'a number of attempts');
  } else {
    const seen = new Set<string>();
    let budgetMin: number | undefined;
    let budgetTtl: number | undefined;
    let budgetRatio: number | undefined;
    for (const entry of text.split(',')) {
      const m = /^\s*([a-z-]+)\s*=\s*(\S+)\s*$/.exec(entry);
      if (m === null) {
        throw new OptionValueError(
          entry,
          `expected key=value with a key from ${RETRY_KEYS.join(', ')}`,
        );
      }
      const key = m[1]!;
      const v = m[2]!;
      if (!(RETRY_KEYS as readonly string[]).includes(key)) {
        throw new OptionValueError(entry, `unknown key ${key}; known: ${RETRY_KEYS.join(', ')}`);
      }
      if (seen.has(key)) throw new OptionValueError(entry, `${key} is given twice`);
      seen.add(key);
      switch (key) {
        case 'attempts':
          policy.attempts = unsignedInt(v, 'a number of attempts');
          break;
        case 'base-ms':
          policy.baseMs = decimal(v, 'milliseconds');
          break;
        case 'cap-ms':
          policy.capMs = decimal(v, 'milliseconds');
          break;
        case 'jitter':
          if (v !== 'full' && v !== 'equal' && v !== 'none') {
            throw new OptionValueError(entry, 'jitter is full, equal or none');
          }
          policy.jitter = v as JitterMode;
          break;
        case 'retry-blocked':
          if (v !== 'yes' && v !== 'no')
            throw new OptionValueError(entry, 'retry-blocked is yes or no');
          policy.retryBlocked = v === 'yes';
          break;
        case 'budget':
          budgetRatio = v === 'finagle' ? FINAGLE_BUDGET.ratio : decimal(v, 'finagle or a ratio');
          break;
        case 'budget-min-per-s':
          budgetMin = decimal(v, 'retries per second');
          break;
        default:
          budgetTtl = decimal(v, 'seconds');
      }
    }
    if (budgetRatio === undefined && (budgetMin !== undefined || budgetTtl !== undefined)) {
      throw new OptionValueError(value, 'budget-min-per-s and budget-ttl-s need budget=...');
    }
    if (budgetRatio !== undefined) {
      policy.budget = {
        ratio: budgetRatio,
        minPerS: budgetMin ?? FINAGLE_BUDGET.minPerS,
        ttlS: budgetTtl ?? FINAGLE_BUDGET.ttlS,
      };
    }
    if (!seen.has('cap-ms') && policy.capMs < policy.baseMs) policy.capMs = policy.baseMs;
  }
  try {
    checkRetryPolicy(policy);
  } catch (err) {
    throw new OptionValueError(value, (err as Error).message.replace(/^retry policy: /, ''));
  }
  return policy;
}

export const RETRY_OPTION: SuiteOption<ClientOptions> = {
  flag: 'retry',
  value: 'POLICY',
  help: `Clients retry failed and refused requests (docs/BENCHMARKS.md §9.2): a number of
attempts (e.g. 4), or key=value entries attempts, base-ms, cap-ms, jitter
(full, equal, none), retry-blocked (yes, no), budget (finagle or a ratio),
budget-min-per-s, budget-ttl-s. Defaults: 4 attempts, 100 ms base, 1000 ms cap,
full jitter, refusals retried, no budget. The tables add per-request figures.
Default: off.`,
  field: 'retry',
  parse: parseRetryPolicy,
};

export const TICK_OPTION: SuiteOption<Pick<ClientOptions, 'tickMs'>> = {
  flag: 'tick-ms',
  value: 'MS',
  help: `Deliver completions the way an event loop does: each at the end of its tick of
MS milliseconds, ceil(t / MS) x MS, completions of one tick together and
stamped with the tick's time (docs/BENCHMARKS.md §9.3). Default: off.`,
  field: 'tickMs',
  parse: parseTickMs,
};

/** The client model the options ask for (empty when both are off). */
export function clientModel(options: SuiteOptions & Partial<ClientOptions>): ClientModel {
  const model: ClientModel = {};
  if (options.retry !== undefined) model.retry = options.retry;
  if (options.tickMs !== undefined) model.tickMs = options.tickMs;
  return model;
}
