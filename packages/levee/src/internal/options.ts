/**
 * The options every integration shares: exactly one of `slo` or `registry`,
 * plus the checks of function and deadline options. No runtime import of Node
 * built-ins: `fetch` stays usable on any runtime with `fetch` and
 * `AbortSignal.any`.
 *
 * @internal
 * @module
 */
import type { SLO } from '../core/types.js';
import { LeveeRegistry } from '../registry.js';
import { describe } from './describe.js';

/** The `slo` form: one SLO for every key; a registry is created for it. */
export interface WithSLO {
  /** The SLO of every key (origin, route class). */
  readonly slo: SLO;
  readonly registry?: never;
}

/** The `registry` form: a registry you own (per-key SLOs, metrics, bounds). */
export interface WithRegistry {
  readonly registry: LeveeRegistry;
  readonly slo?: never;
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
