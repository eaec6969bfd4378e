import { describe, expect, it } from 'vitest';
import { MESH_PHASES, Scenario, selectPhases } from '../../../src/suites/mesh/scenario.js';
import { buildTopology } from '../../../src/suites/mesh/topology.js';

const S = 1e9;
const topo = buildTopology();
const targets = topo.edges.map((l) => l.map((e) => topo.names[e.to]!));
const full = new Scenario(topo.names, targets);
const n = (name: string): number => topo.names.indexOf(name);

describe('phase schedule (§6.5)', () => {
  it('lists the eleven windows A–H', () => {
    expect(MESH_PHASES.map((p) => `${p.phase} ${p.label} ${p.startS}-${p.endS}`)).toEqual([
      'A steady 0-180',
      'B surge 180-330',
      'B settle 330-420',
      'C degrade 420-570',
      'C settle 570-660',
      'D crash 660-780',
      'E recovery 780-1200',
      'F overcap 1200-1350',
      'F settle 1350-1440',
      'G bugstorm 1440-1590',
      'H recovery 1590-1800',
    ]);
    for (let i = 1; i < MESH_PHASES.length; i++) {
      expect(MESH_PHASES[i]!.startS).toBe(MESH_PHASES[i - 1]!.endS);
    }
  });

  it('runs A–H for 1,800 s and the short variant A–B for 330 s', () => {
    expect(selectPhases().endS).toBe(1800);
    expect(selectPhases('A-H').windows).toHaveLength(11);
    expect(selectPhases('A-B').endS).toBe(330);
    expect(selectPhases('a–b').windows.map((w) => w.label)).toEqual(['steady', 'surge']);
    expect(selectPhases('A-C').endS).toBe(570);
    expect(() => selectPhases('B-C')).toThrow(RangeError);
    expect(() => selectPhases('A-Z')).toThrow(RangeError);
    expect(full.endNs).toBe(1800 * S);
  });

  it('B surge: edge-api arrivals ×4 with a 5 s linear ramp, admin-api untouched', () => {
    const e = n('edge-api');
    expect(full.arrivalMultiplier(e, 180 * S - 1)).toBe(1);
    expect(full.arrivalMultiplier(e, 180 * S)).toBe(1);
    expect(full.arrivalMultiplier(e, 182.5 * S)).toBe(2.5);
    expect(full.arrivalMultiplier(e, 185 * S - 1)).toBeCloseTo(4, 6);
    expect(full.arrivalMultiplier(e, 185 * S)).toBe(4);
    expect(full.arrivalMultiplier(e, 330 * S - 1)).toBe(4);
    expect(full.arrivalMultiplier(e, 330 * S)).toBe(1);
    expect(full.arrivalMultiplier(n('admin-api'), 200 * S)).toBe(1);
  });

  it('F overcap: edge-api arrivals ×8 with the ramp 1 + (M − 1)(t − start)/5 s', () => {
    const e = n('edge-api');
    expect(full.arrivalMultiplier(e, 1201 * S)).toBe(1 + (7 * S) / (5 * S));
    expect(full.arrivalMultiplier(e, 1300 * S)).toBe(8);
    expect(full.arrivalMultiplier(e, 1350 * S)).toBe(1);
  });

  it('C degrade: db service ×4 and +0.15 error; D: payments service ×8', () => {
    expect(full.latencyMultiplier(n('db'), 419 * S)).toBe(1);
    expect(full.latencyMultiplier(n('db'), 420 * S)).toBe(4);
    expect(full.extraError(n('db'), 500 * S)).toBe(0.15);
    expect(full.extraError(n('db'), 570 * S)).toBe(0);
    expect(full.extraError(n('pricing'), 500 * S)).toBe(0);
    expect(full.latencyMultiplier(n('payments'), 700 * S)).toBe(8);
    expect(full.latencyMultiplier(n('payments'), 780 * S)).toBe(1);
  });

  it('G bugstorm: catalog → inventory calls ×10 (p 0.5 → 5 calls), other edges untouched', () => {
    const c = n('catalog');
    const inv = targets[c]!.indexOf('inventory');
    const pricing = targets[c]!.indexOf('pricing');
    expect(full.callMultiplier(c, inv, 1500 * S)).toBe(10);
    expect(topo.edges[c]![inv]!.p * full.callMultiplier(c, inv, 1500 * S)).toBe(5);
    expect(full.callMultiplier(c, pricing, 1500 * S)).toBe(1);
    expect(full.callMultiplier(c, inv, 1590 * S)).toBe(1);
    expect(full.callMultiplier(n('admin-api'), 1, 1500 * S)).toBe(1);
  });

  it('the short scenario carries no later injections', () => {
    const short = new Scenario(topo.names, targets, 'A-B');
    expect(short.endNs).toBe(330 * S);
    expect(short.latencyMultiplier(n('db'), 500 * S)).toBe(1);
  });
});
