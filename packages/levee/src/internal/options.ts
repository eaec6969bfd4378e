/**
 * Internal helpers of the integration entry points (not exported by the
 * package). No runtime import of Node built-ins: `fetch.ts` stays usable on
 * any runtime with `fetch` and `AbortSignal.any`.
 *
 * @internal
 * @packageDocumentation
 */

import type { SLO } from '../core/types.js';
import { LeveeRegistry } from '../registry.js';

/** Largest delay Node's timers accept; longer deadlines are not applied. */
export const MAX_TIMER_MS = 2_147_483_647;

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** Throws a TypeError naming `options.<name>` unless `value` is undefined or a function. */
export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`options.${name} must be a function, got ${describe(value)}`);
  }
}

/** Validates `{ slo | registry }` and returns the registry to use. */
export function resolveRegistry(
  options: { readonly slo?: SLO | undefined; readonly registry?: LeveeRegistry | undefined },
  what: string,
): LeveeRegistry {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${what}: options must be an object, got ${describe(options)}`);
  }
  const { slo, registry } = options;
  if (registry !== undefined) {
    if (slo !== undefined) {
      throw new TypeError(
        `${what}: pass either options.slo or options.registry, not both (the registry carries the SLO)`,
      );
    }
    if (!(registry instanceof LeveeRegistry)) {
      throw new TypeError(
        `${what}: options.registry must be a LeveeRegistry, got ${describe(registry)}`,
      );
    }
    return registry;
  }
  if (slo === undefined) {
    throw new TypeError(`${what}: options.slo or options.registry is required`);
  }
  return new LeveeRegistry({ slo });
}

/** Validates a `timeoutMs` option: a number > 0, or false. */
export function checkTimeoutOption(value: unknown): void {
  if (value === undefined || value === false) return;
  if (typeof value !== 'number') {
    throw new TypeError(`options.timeoutMs must be a number or false, got ${describe(value)}`);
  }
  if (!(value > 0)) {
    throw new RangeError(`options.timeoutMs must be > 0 (or false), got ${describe(value)}`);
  }
}
