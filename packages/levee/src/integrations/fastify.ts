/**
 * `@leveejs/levee/fastify`: inbound load shedding as a Fastify 5 plugin.
 * `fastify` is only imported for its types; the plugin is marked with
 * `Symbol.for('skip-override')` (what `fastify-plugin` does) so its hooks
 * apply to the whole application, without a dependency on `fastify-plugin`.
 *
 * @packageDocumentation
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { describe } from '../internal/describe.js';
import { createGate, type GateOptions, type Shed, type Ticket } from './http.js';

export type { Shed, Ticket } from './http.js';
export { DEFAULT_KEY } from './http.js';

/** Options of the plugin: those of `@leveejs/levee/http` with Fastify-typed callbacks. */
export type LeveeFastifyOptions = GateOptions<FastifyRequest> & {
  /**
   * Sends the response of a shed request instead of the default 503 (must
   * call `reply.send()`). The default sends Fastify's error shape
   * `{ statusCode: 503, error, message }` with `Retry-After`.
   */
  readonly onShed?: (request: FastifyRequest, reply: FastifyReply, shed: Shed) => void;
};

/** The name option errors carry: what the user registered. */
const NAME = 'levee plugin (@leveejs/levee/fastify)';

const kTicket = Symbol('levee.ticket');

type WithTicket = FastifyRequest & { [kTicket]: Ticket | null };

function sendShed(_request: FastifyRequest, reply: FastifyReply, shed: Shed): void {
  reply
    .code(503)
    .header('retry-after', String(shed.retryAfterSeconds))
    .header('cache-control', 'no-store')
    .send({
      statusCode: 503,
      error: 'Service Unavailable',
      message:
        shed.reason === 'circuit'
          ? `load shed (${shed.state})`
          : 'load shed (too many route classes)',
    });
}

function leveePlugin(
  fastify: FastifyInstance,
  options: LeveeFastifyOptions,
  done: (err?: Error) => void,
): void {
  const { onShed = sendShed, ...gateOptions } = options;
  let acquire: (request: FastifyRequest) => Ticket | Shed;
  try {
    if (typeof onShed !== 'function') {
      throw new TypeError(`${NAME}: options.onShed must be a function, got ${describe(onShed)}`);
    }
    const gate = createGate<FastifyRequest>(gateOptions, NAME);
    acquire = gate.acquire;
    fastify.decorate('leveeRegistry', gate.registry);
    fastify.decorateRequest(kTicket, null);
  } catch (err) {
    done(err as Error);
    return;
  }

  // Admit or shed before anything else runs for the request. A route with
  // `config: { levee: false }` is left alone: never shed, never counted.
  fastify.addHook('onRequest', (request, reply, next) => {
    if (request.routeOptions.config?.levee === false) {
      next();
      return;
    }
    const result = acquire(request);
    if (!result.admitted) {
      onShed(request, reply, result);
      return; // replied: the hook chain stops, the handler never runs
    }
    (request as WithTicket)[kTicket] = result;
    next();
  });
  // Response sent: outcome from its status.
  fastify.addHook('onResponse', (request, reply, next) => {
    (request as WithTicket)[kTicket]?.finish(reply.statusCode);
    next();
  });
  // Client went away before the response: a cancel, or what `clientAbort` says.
  fastify.addHook('onRequestAbort', (request, next) => {
    (request as WithTicket)[kTicket]?.clientGone();
    next();
  });
  // Socket timeout (`connectionTimeout`): failure.
  fastify.addHook('onTimeout', (request, _reply, next) => {
    (request as WithTicket)[kTicket]?.fail();
    next();
  });
  done();
}

const meta = leveePlugin as unknown as Record<symbol, unknown>;
meta[Symbol.for('skip-override')] = true;
meta[Symbol.for('fastify.display-name')] = '@leveejs/levee';
meta[Symbol.for('plugin-meta')] = { name: '@leveejs/levee', fastify: '5.x' };

/**
 * The Fastify plugin. Register it once, at the root:
 *
 * ```ts
 * await app.register(levee, { slo: { successRate: 0.99, timeoutMs: 2000 } });
 * ```
 *
 * Every request is admitted (`onRequest`) under the Levee of its route class
 * (`key`, default one class for the app; `request.routeOptions.url` is a
 * bounded per-route choice) or answered 503 with `Retry-After` before any
 * other hook or the handler runs. Outcomes: `onResponse` (5xx → failure),
 * `onRequestAbort` (the client went away: a cancel, see `clientAbort`),
 * `onTimeout` (failure), or the SLO timer (failure). The registry is exposed
 * as `app.leveeRegistry` for metrics.
 *
 * A route declared with `config: { levee: false }` is never shed nor counted
 * (health checks, `/metrics`, the dashboard):
 *
 * ```ts
 * app.get('/healthz', { config: { levee: false } }, async () => 'ok');
 * ```
 */
export const levee: FastifyPluginCallback<LeveeFastifyOptions> = leveePlugin;
export default levee;

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry of `@leveejs/levee/fastify` (one Levee per route class). */
    leveeRegistry: import('../registry.js').LeveeRegistry;
  }
  interface FastifyContextConfig {
    /**
     * `false`: `@leveejs/levee/fastify` never sheds this route and does not
     * count its requests (health checks, metrics). Default: protected.
     */
    levee?: boolean;
  }
}
