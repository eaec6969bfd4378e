/**
 * `@leveejs/levee/express`: inbound load shedding as Express middleware
 * (Express 4 and 5; no import of `express` at runtime or in the types).
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LeveeRegistry } from '../registry.js';
import { createGate, type HttpGateOptions } from './http.js';

export type { Shed, Ticket } from './http.js';
export { DEFAULT_KEY } from './http.js';

/** Express's `next`. */
export type NextFunction = (err?: unknown) => void;

/** The middleware returned by {@link shedLoad}, with its registry (for metrics). */
export interface LeveeMiddleware<Req extends IncomingMessage = IncomingMessage> {
  (req: Req, res: ServerResponse, next: NextFunction): void;
  readonly registry: LeveeRegistry;
}

/** Options of {@link shedLoad}: those of `@leveejs/levee/http`, with Express-typed callbacks. */
export type ExpressShedOptions<Req extends IncomingMessage = IncomingMessage> =
  HttpGateOptions<Req>;

/**
 * Express middleware: admits each request under the Levee of its route class
 * or answers 503 with `Retry-After` without calling `next()`.
 *
 * ```ts
 * app.use(shedLoad({ slo: { successRate: 0.99, timeoutMs: 2000 } }));
 * ```
 *
 * Mounted with `app.use()` it runs before routing, so the default key is a
 * single class; pass `key` to split (e.g. by `req.method` and the first path
 * segment of a known set of routes). Outcomes as in `@leveejs/levee/http`:
 * 5xx (incl. Express's default error handler) → failure, client gone before
 * the response ended → a cancel (`clientAbort: 'failure'` to count it as a
 * failure), `timeoutMs` exceeded → failure.
 */
export function shedLoad<Req extends IncomingMessage = IncomingMessage>(
  options: ExpressShedOptions<Req>,
): LeveeMiddleware<Req> {
  const { admit, registry } = createGate<Req>(options, 'shedLoad (@leveejs/levee/express)');
  const middleware = (req: Req, res: ServerResponse, next: NextFunction): void => {
    if (admit(req, res)) next();
  };
  return Object.assign(middleware, { registry });
}

/** Re-exported for custom `onShed` responses. */
export { writeShedResponse } from './http.js';
