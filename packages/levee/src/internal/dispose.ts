/**
 * `Symbol.dispose`, or a registered stand-in on runtimes without it, so that
 * handles can be disposed with `using` wherever the runtime supports it.
 *
 * @internal
 * @module
 */
export const DISPOSE: typeof Symbol.dispose = (Symbol.dispose ??
  Symbol.for('Symbol.dispose')) as typeof Symbol.dispose;
