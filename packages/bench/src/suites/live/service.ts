/**
 * The service's model of work, behind whatever server flavour answers the
 * requests: `slots` worker slots, each holding a request for `serviceMs`
 * (a timer: like a connection pool or a downstream call, the slot is held
 * while the CPU is free), a FIFO queue in front of them, and a dependency
 * called as the request takes its slot, answering by the mode the phases
 * set (`DependencyMode`). Requests are served in arrival order even when their
 * client has gone away (a naive service does not check: that is wasted
 * work, as in the simulator's queue drops).
 *
 * Also the client part's dependency: a plain handler answering after
 * `depServiceMs` by its mode.
 */
import type { ServerResponse } from 'node:http';
import { GoRand } from '../../sim/rng/go-rand.js';
import type { DependencyMode, ServiceConfig } from './config.js';

/** Answers a request with a status (the server flavour writes the response). */
export type Respond = (status: number) => void;

/** Response bodies by status. */
export function bodyFor(status: number): string {
  switch (status) {
    case 200:
      return 'ok\n';
    case 500:
      return 'dependency error\n';
    case 503:
      return 'queue full\n';
    case 504:
      return 'dependency timeout\n';
    default:
      return `${status}\n`;
  }
}

export class WorkerPool {
  readonly #slots: number;
  readonly #serviceMs: number;
  readonly #queueLimit: number;
  readonly #errorShare: number;
  readonly #hangMs: number;
  readonly #rng: GoRand;
  #mode: DependencyMode = 'ok';
  #busy = 0;
  /** FIFO: `#queue[#head…]` wait for a slot. */
  #queue: Respond[] = [];
  #head = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;
  /** Requests turned away by a full queue. */
  rejected = 0;
  /** Requests whose service ended, by status. */
  readonly served = { ok: 0, errors: 0, timeouts: 0 };

  constructor(config: ServiceConfig, seed: number) {
    this.#slots = config.slots;
    this.#serviceMs = config.serviceMs;
    this.#queueLimit = config.queueLimit;
    this.#errorShare = config.errorShare;
    this.#hangMs = config.depTimeoutMs;
    this.#rng = new GoRand(BigInt(seed), 1n);
  }

  get busy(): number {
    return this.#busy;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  set mode(mode: DependencyMode) {
    this.#mode = mode;
  }

  get mode(): DependencyMode {
    return this.#mode;
  }

  /** Takes a request; false when the queue is full (answer 503). */
  submit(respond: Respond): boolean {
    if (this.#closed) return false;
    if (this.#busy < this.#slots) {
      this.#start(respond);
      return true;
    }
    if (this.#queueLimit > 0 && this.queued >= this.#queueLimit) {
      this.rejected++;
      return false;
    }
    this.#queue.push(respond);
    return true;
  }

  /**
   * A request takes a slot and calls the dependency; the answer comes after
   * the service time. The dependency's mode is the one in force when the call
   * starts, so a phase's requests are not answered by the next phase's mode.
   */
  #start(respond: Respond): void {
    this.#busy++;
    const mode = this.#mode;
    this.#after(this.#serviceMs, () => this.#callDependency(respond, mode));
  }

  #callDependency(respond: Respond, mode: DependencyMode): void {
    if (mode === 'hang') {
      this.#after(this.#hangMs, () => this.#end(respond, 504));
      return;
    }
    if (mode === 'errors' && this.#rng.float64() < this.#errorShare) {
      this.#end(respond, 500);
      return;
    }
    this.#end(respond, mode === 'refused' ? 500 : 200);
  }

  #end(respond: Respond, status: number): void {
    if (status === 200) this.served.ok++;
    else if (status === 504) this.served.timeouts++;
    else this.served.errors++;
    this.#busy--;
    respond(status);
    if (this.#closed) return;
    const next = this.#take();
    if (next !== undefined) this.#start(next);
  }

  #take(): Respond | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const next = this.#queue[this.#head++]!;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return next;
  }

  #after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) fn();
    }, ms);
    this.#timers.add(timer);
  }

  /** Stops everything: timers cleared, the queue dropped (their connections are closed by the server). */
  destroy(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#queue = [];
    this.#head = 0;
    this.#busy = 0;
  }
}

/**
 * The client part's dependency: answers after `serviceMs` by its mode — 200
 * (`ok`), 500 (`errors`), nothing (`hang`: the response is parked until the
 * client gives up, or ended with 504 when the hang is over). `refused` is
 * the server's business (it stops listening).
 */
export class DependencyHandler {
  readonly #serviceMs: number;
  #mode: DependencyMode = 'ok';
  readonly #parked = new Set<ServerResponse>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(serviceMs: number) {
    this.#serviceMs = serviceMs;
  }

  get parked(): number {
    return this.#parked.size;
  }

  set mode(mode: DependencyMode) {
    const leavingHang = this.#mode === 'hang' && mode !== 'hang';
    this.#mode = mode;
    if (leavingHang) {
      for (const res of this.#parked) send(res, 504);
      this.#parked.clear();
    }
  }

  get mode(): DependencyMode {
    return this.#mode;
  }

  /** Answers `res` after the service time, by the mode in force when the call came in. */
  handle(res: ServerResponse): void {
    const mode = this.#mode;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#closed) return;
      if (mode === 'hang') {
        this.#parked.add(res);
        res.once('close', () => this.#parked.delete(res));
        return;
      }
      send(res, mode === 'ok' ? 200 : 500);
    }, this.#serviceMs);
    this.#timers.add(timer);
  }

  destroy(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#parked.clear();
  }
}

/** Writes a plain-text response with `status` (nothing if the connection is gone). */
export function send(res: ServerResponse, status: number): void {
  if (res.destroyed || res.writableEnded) return;
  const body = bodyFor(status);
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
