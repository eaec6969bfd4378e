/**
 * Per-second traces of a cooperation run (many breakers, one backend), for
 * the HTML report: the closed-loop `TraceTable` (src/report/trace.ts) fed by
 * the cooperation orchestrator's tracer hooks.
 */
import type { Candidate, CandidateState } from '../../candidates/candidate.js';
import type { CooperationTracer } from '../../sim/orchestrator/cooperation.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import { closedLoopLayout, fleetProbeInterval } from '../closed-loop/layout.js';
import {
  fillCapacity,
  meanServiceSeconds,
  rowsFor,
  type Trace,
  type TracedBackend,
  type TracedDispatcher,
  TraceTable,
} from '../closed-loop/trace.js';
import { stateCode } from '../shared/recording.js';

const NS_PER_S = 1e9;

/**
 * The tracer of a cooperation run (`runCooperation({ …, tracer })`): the
 * orchestrator reports every arrival, decision and completion with the
 * instance concerned, and all of them go to ONE `TraceTable` (the closed-loop
 * recorder's), so the columns are those of a closed-loop trace of the shared
 * backend with offered, admitted, successes and failures summed over the
 * instances; each instance's state is checked after each of its calls, and
 * the state shares are fractions of instance-time (Σ time in the state ÷
 * (instances × 1 s)). For candidates with `probe`: the limits of the
 * instances enforcing one, their inflight counts summed, and how many
 * enforce a limit, sampled at the first arrival of every
 * `fleetProbeInterval(instances)`-th second (5 s for 100; after that
 * arrival's decision) and carried over the seconds in between.
 */
export class FleetTraceRecorder implements CooperationTracer {
  #table: TraceTable | undefined;
  #inner: readonly Candidate[] = [];
  #state: CandidateState[] = [];
  #code = new Uint8Array(0);
  #since = new Float64Array(0);
  #meanServiceS: number[] = [];
  #trace: Trace | undefined;

  attach(run: {
    candidates: readonly Candidate[];
    backend: TracedBackend;
    dispatcher: TracedDispatcher;
    specs: readonly LoadSpec[];
  }): void {
    if (this.#table !== undefined) throw new Error('a FleetTraceRecorder records one run only');
    const inner = run.candidates;
    this.#meanServiceS = meanServiceSeconds(run.specs);
    const probing = inner.length > 0 && inner.every((c) => typeof c.probe === 'function');
    const probe = probing
      ? () => {
          let limit = 0;
          let inflight = 0;
          let limiting = 0;
          for (const c of inner) {
            const p = c.probe!();
            if (p.limit > 0) {
              limit += p.limit;
              limiting++;
            }
            inflight += p.inflight;
          }
          return { limit, inflight, limiting };
        }
      : undefined;
    this.#table = new TraceTable(
      run.backend,
      run.dispatcher,
      rowsFor(run.specs),
      probe,
      true,
      fleetProbeInterval(inner.length),
    );
    this.#inner = inner;
    this.#state = inner.map((c) => c.state());
    this.#code = Uint8Array.from(this.#state, stateCode);
    this.#since = new Float64Array(inner.length);
  }

  decided(instance: number, tNs: number, admitted: boolean): void {
    // The breaker's decision does not touch the backend: sampling it now is
    // the same as before the decision (only the probe sees this arrival).
    const table = this.#table!;
    table.arrive(tNs);
    table.decided(tNs, admitted);
    const state = this.#inner[instance]!.state();
    if (state !== this.#state[instance]) this.#changeState(instance, state, tNs);
  }

  completed(instance: number, tNs: number, ok: boolean): void {
    this.#table!.completed(tNs, ok);
    const state = this.#inner[instance]!.state();
    if (state !== this.#state[instance]) this.#changeState(instance, state, tNs);
  }

  #changeState(instance: number, state: CandidateState, tNs: number): void {
    this.#table!.addStateSpan(this.#code[instance]!, this.#since[instance]!, tNs);
    this.#state[instance] = state;
    this.#code[instance] = stateCode(state);
    this.#since[instance] = tNs;
  }

  finish(): void {
    const table = this.#table;
    if (table === undefined) throw new Error('FleetTraceRecorder.finish before attach');
    const rows = table.close();
    const endNs = rows * NS_PER_S;
    for (let i = 0; i < this.#inner.length; i++) {
      table.addStateSpan(this.#code[i]!, this.#since[i]!, endNs);
      this.#since[i] = endNs;
    }
    const n = this.#inner.length;
    const trace = table.build(this.#inner[0]?.name ?? '', rows, n);
    fillCapacity(trace, this.#meanServiceS);
    trace.layout = closedLoopLayout(n);
    this.#trace = trace;
  }

  /** The finished trace; throws before the run has finished. */
  trace(): Trace {
    if (this.#trace === undefined) throw new Error('the traced run has not finished');
    return this.#trace;
  }
}
