import { describe, expect, it } from 'vitest';
import { getCandidate, PEER_KEYS } from '../../../src/candidates/registry.js';
import { STATIC_BAU } from '../../../src/candidates/static-cb.js';
import {
  edgeCap,
  GOVERNOR_NAMES,
  GovernorFactory,
  MaxInflight,
  MESH_SLO,
  NodeGovernor,
  STATIC_DEAD_EDGE,
  staticSizing,
  TokenBucket,
} from '../../../src/suites/mesh/governors.js';
import { governorsForCandidates } from '../../../src/suites/mesh/suite.js';
import { buildTopology } from '../../../src/suites/mesh/topology.js';

const S = 1e9;
const topo = buildTopology();
const idx = (name: string): number => topo.names.indexOf(name);

describe('static sizing from the provisioning profile (§6.4, bf42c22)', () => {
  const sizing = staticSizing(topo);

  it('per-replica buckets at 0.85 × RPS/replica', () => {
    expect(sizing.bucketRate).toEqual([85, 21.25, 85, 85, 42.5, 85, 42.5, 170, 42.5, 8.5]);
  });

  it('per-edge max-inflight caps ceil(max(1.5m, m + 3√m)), floor 2', () => {
    const caps = (name: string) => sizing.edgeCaps[idx(name)];
    expect(caps('edge-api')).toEqual([11, 7, 2]);
    expect(caps('admin-api')).toEqual([4, 3]);
    expect(caps('catalog')).toEqual([9, 6]);
    expect(caps('pricing')).toEqual([6]);
    expect(caps('orders')).toEqual([6, 8]);
    expect(caps('inventory')).toEqual([6]);
    expect(caps('payments')).toEqual([4, 5]);
    expect(caps('notify')).toEqual([5]);
    expect(caps('db')).toEqual([]);
    expect(edgeCap(0)).toBe(2);
    expect(edgeCap(100)).toBe(150);
    expect(edgeCap(4)).toBe(10); // 4 + 3·2
  });

  it('the dead-edge breaker is 20 / 3 / 10 s / 1', () => {
    expect(STATIC_DEAD_EDGE).toEqual({
      failureThreshold: 20,
      successThreshold: 3,
      halfOpenTimeoutNs: 10 * S,
      halfOpenMaxCalls: 1,
    });
    expect(MESH_SLO).toEqual({ successRate: 0.9, timeoutMs: 1500 });
  });
});

describe('token bucket', () => {
  it('starts full with 1 s of burst and refills at the rate', () => {
    const b = new TokenBucket(10, 10);
    for (let i = 0; i < 10; i++) expect(b.allow(0)).toBe(true);
    expect(b.allow(0)).toBe(false);
    expect(b.saturated(0.05 * S)).toBe(true);
    expect(b.allow(0.1 * S)).toBe(true); // one token per 100 ms
    expect(b.allow(0.1 * S)).toBe(false);
    expect(b.allow(100 * S)).toBe(true);
    expect(b.tokens).toBe(9); // capped at the burst before taking one
  });

  it('refills as tokens + rate·Δns / 1e9, only when time moves forward', () => {
    const b = new TokenBucket(85, 85);
    for (let i = 0; i < 85; i++) b.allow(0);
    b.refill(123_456_789);
    expect(b.tokens).toBe((85 * 123_456_789) / 1e9);
    b.refill(100); // earlier: ignored
    expect(b.tokens).toBe((85 * 123_456_789) / 1e9);
  });
});

describe('max-inflight limiter', () => {
  it('admits below the cap and never goes negative', () => {
    const l = new MaxInflight(2);
    expect(l.acquire()).toBe(true);
    expect(l.acquire()).toBe(true);
    expect(l.acquire()).toBe(false);
    l.release();
    expect(l.acquire()).toBe(true);
    l.release();
    l.release();
    l.release();
    expect(l.inflight).toBe(0);
  });
});

describe('replica governors', () => {
  it('No-Gov admits everything, on every edge, whatever the replica index', () => {
    const g = new NodeGovernor(new GovernorFactory('no-gov', topo), idx('edge-api'));
    g.resize(5, 0);
    for (let i = 0; i < 10; i++) expect(g.admit(0)).toBe(0);
    expect(g.edgeAdmit(99, 0, 0)).toBe(true);
  });

  it('round-robin across replicas; the cursor returns to 0 when a resize leaves it past the end', () => {
    const g = new NodeGovernor(new GovernorFactory('static-breaker', topo), idx('catalog'));
    g.resize(3, 0);
    expect([g.admit(0), g.admit(0), g.admit(0), g.admit(0)]).toEqual([0, 1, 2, 0]);
    g.admit(0); // cursor at 2
    g.resize(2, 0);
    expect(g.admit(0)).toBe(0);
    g.resize(0, 0); // a crash
    expect(g.admit(0)).toBe(-1);
  });

  it('outbound calls of a replica index that no longer exists are rejected', () => {
    const g = new NodeGovernor(new GovernorFactory('static-breaker', topo), idx('catalog'));
    g.resize(4, 0);
    expect(g.edgeAdmit(3, 0, 0)).toBe(true);
    g.resize(3, 0);
    expect(g.edgeAdmit(3, 0, 0)).toBe(false);
    g.edgeDone(3, 0, 1, false, 1); // dropped silently
  });

  it('Static-Breaker: a BAU breaker per replica and edge, no inbound limit', () => {
    const g = new NodeGovernor(new GovernorFactory('static-breaker', topo), idx('pricing'));
    g.resize(1, 0);
    for (let i = 0; i < 1000; i++) expect(g.admit(0)).toBe(0);
    for (let i = 0; i < STATIC_BAU.failureThreshold; i++) {
      expect(g.edgeAdmit(0, 0, i)).toBe(true);
      g.edgeDone(0, 0, i, false, 1);
    }
    expect(g.edgeAdmit(0, 0, 10)).toBe(false); // open
    expect(g.edgeAdmit(0, 0, 4 + 10 * S)).toBe(true); // half-open probe after 10 s
  });

  it('Static-Limiter: bucket inbound, max-inflight per edge, no breaker', () => {
    const g = new NodeGovernor(new GovernorFactory('static-limiter', topo), idx('pricing'));
    g.resize(1, 0);
    let admitted = 0;
    for (let i = 0; i < 100; i++) if (g.admit(1) === 0) admitted++;
    expect(admitted).toBe(85);
    for (let i = 0; i < 6; i++) expect(g.edgeAdmit(0, 0, 1)).toBe(true);
    expect(g.edgeAdmit(0, 0, 1)).toBe(false); // cap 6 on pricing → db
    for (let i = 0; i < 50; i++) g.edgeDone(0, 0, 2, false, 1); // failures never trip anything
    expect(g.edgeAdmit(0, 0, 3)).toBe(true);
  });

  it('Static-Full: sync edges use the dead-edge breaker (20 failures), one probe after 10 s', () => {
    const g = new NodeGovernor(new GovernorFactory('static-full', topo), idx('pricing'));
    g.resize(1, 0);
    for (let i = 0; i < 20; i++) {
      expect(g.edgeAdmit(0, 0, i)).toBe(true);
      g.edgeDone(0, 0, i, false, 1);
    }
    expect(g.edgeAdmit(0, 0, 100)).toBe(false);
    const t = 19 + 10 * S;
    expect(g.edgeAdmit(0, 0, t)).toBe(true); // the probe
    expect(g.edgeAdmit(0, 0, t)).toBe(false); // one probe at a time
    g.edgeDone(0, 0, t + 1, true, 1);
  });

  it('Static-Full: a limiter rejection after a breaker admission cancels it (no probe slot leaks)', () => {
    const g = new NodeGovernor(new GovernorFactory('static-full', topo), idx('pricing'));
    g.resize(1, 0);
    // Cap 6: fill the limiter while CLOSED, then the 7th call is rejected by the
    // limiter although the breaker admitted it; the breaker must stay usable.
    for (let i = 0; i < 6; i++) expect(g.edgeAdmit(0, 0, 0)).toBe(true);
    for (let i = 0; i < 100; i++) expect(g.edgeAdmit(0, 0, 1)).toBe(false);
    g.edgeDone(0, 0, 2, true, 1);
    expect(g.edgeAdmit(0, 0, 3)).toBe(true);
  });

  it('Static-Full async edges keep BAU (trip after 5 failures)', () => {
    const g = new NodeGovernor(new GovernorFactory('static-full', topo), idx('payments'));
    g.resize(1, 0);
    for (let i = 0; i < 5; i++) {
      expect(g.edgeAdmit(0, 1, i)).toBe(true);
      g.edgeDone(0, 1, i, false, 1);
    }
    expect(g.edgeAdmit(0, 1, 10)).toBe(false);
  });

  it('Levee: one cold instance inbound and one per edge per replica', () => {
    const f = new GovernorFactory('levee', topo);
    const g = new NodeGovernor(f, idx('edge-api'));
    g.resize(5, 0);
    expect(f.inboundStats.instances).toBe(5);
    expect(f.edgeStats.instances).toBe(15);
    expect(g.admit(0)).toBe(0);
    expect(g.edgeAdmit(0, 2, 0)).toBe(true);
    g.edgeDone(0, 2, 1e6, true, 1e6);
    g.done(0, 2e6, true, 2e6);
    g.resize(0, 3e6);
    expect(g.size).toBe(0);
  });

  it('a peer as governor: its own instance inbound and per edge, fed the outcomes of its calls', () => {
    const f = new GovernorFactory('opossum-tuned', topo);
    expect(f.name).toBe('Opossum-Tuned');
    const g = new NodeGovernor(f, idx('catalog')); // two outbound edges
    g.resize(1, 0);
    // Fail 100 calls on edge 0 (opossum-tuned opens at >20 % errors over >= 100 calls):
    // edge 0 opens, edge 1 and the inbound instance stay closed.
    for (let i = 0; i < 100; i++) {
      const t = (i + 1) * 1e6;
      expect(g.edgeAdmit(0, 0, t)).toBe(true);
      g.edgeDone(0, 0, t + 5e5, false, 5e5);
    }
    expect(g.edgeAdmit(0, 0, 200e6)).toBe(false);
    expect(g.edgeAdmit(0, 1, 200e6)).toBe(true);
    expect(g.admit(200e6)).toBe(0);
  });

  it('every peer builds as a governor and admits a first call cold', () => {
    for (const kind of PEER_KEYS) {
      const g = new NodeGovernor(new GovernorFactory(kind, topo), idx('edge-api'));
      g.resize(2, 0);
      expect(g.admit(1e6)).toBe(0);
      expect(g.edgeAdmit(0, 2, 1e6)).toBe(true);
      g.edgeDone(0, 2, 3e6, true, 2e6);
      g.done(0, 4e6, true, 3e6);
      expect(GOVERNOR_NAMES[kind]).toBe(getCandidate(kind).displayName);
    }
  });
});

describe('governors for a --candidates list (levee-bench all)', () => {
  it('maps the published candidates onto the published governors, then the peers', () => {
    expect(governorsForCandidates(['no-cb', 'levee', 'static-bau', 'static-peak'])).toEqual([
      'no-gov',
      'static-breaker',
      'static-limiter',
      'static-full',
      'levee',
    ]);
    expect(governorsForCandidates(['aimd', 'levee', 'static-peak'])).toEqual([
      'static-breaker',
      'static-limiter',
      'static-full',
      'levee',
      'aimd',
    ]);
    expect(governorsForCandidates(['levee', 'no-cb'])).toEqual(['no-gov', 'levee']);
  });
});
