import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_CONFIG } from '../../../src/sim/backend/backend-config.js';
import {
  BACKEND_PARAMETERS,
  BackendFileError,
  canonicalBackendConfig,
  loadBackendFile,
  parseBackendOverrides,
} from '../../../src/sim/backend/backend-file.js';

const dir = mkdtempSync(join(tmpdir(), 'levee-bench-backend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function error(data: unknown): string {
  try {
    parseBackendOverrides(data, 'b.json');
  } catch (err) {
    expect(err).toBeInstanceOf(BackendFileError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('parseBackendOverrides', () => {
  it('accepts every parameter with its reference value', () => {
    expect(parseBackendOverrides({ ...DEFAULT_BACKEND_CONFIG })).toEqual(DEFAULT_BACKEND_CONFIG);
    expect(BACKEND_PARAMETERS).toEqual(Object.keys(DEFAULT_BACKEND_CONFIG));
  });

  it('returns only the keys given, in the canonical order', () => {
    const parsed = parseBackendOverrides({ maxReplicas: 16, throughputPerReplica: 300 });
    expect(parsed).toEqual({ throughputPerReplica: 300, maxReplicas: 16 });
    expect(Object.keys(parsed)).toEqual(['throughputPerReplica', 'maxReplicas']);
    expect(parseBackendOverrides({})).toEqual({});
    expect(parseBackendOverrides({ slotsPerReplica: 'littles-law' })).toEqual({
      slotsPerReplica: 'littles-law',
    });
    expect(parseBackendOverrides({ queueDepthPerReplica: 0, provisioningLagS: 0 })).toEqual({
      queueDepthPerReplica: 0,
      provisioningLagS: 0,
    });
  });

  it.each([
    [[], /b\.json: expected a JSON object of backend parameters \(got \[\]\)/],
    [null, /expected a JSON object/],
    [
      { queueDepth: 10 },
      /b\.json: unknown backend parameter "queueDepth" \(known: throughputPerReplica, /,
    ],
    [
      { queueDepthPerReplica: 2.5 },
      /queueDepthPerReplica must be an integer in \[0, 100000\] \(got 2\.5\)/,
    ],
    [{ queueDepthPerReplica: -1 }, /queueDepthPerReplica .*\(got -1\)/],
    [{ queueDepthPerReplica: '50' }, /queueDepthPerReplica .*\(got "50"\)/],
    [{ minReplicas: 0 }, /minReplicas must be an integer in \[1, 100000\] \(got 0\)/],
    [
      { minReplicas: 4, maxReplicas: 2 },
      /maxReplicas must be >= minReplicas \(got maxReplicas=2, minReplicas=4\)/,
    ],
    [{ minReplicas: 9 }, /maxReplicas must be >= minReplicas \(got maxReplicas=8, minReplicas=9\)/],
    [{ throughputPerReplica: 0 }, /throughputPerReplica must be a number > 0 .*\(got 0\)/],
    [{ targetUtilization: -0.5 }, /targetUtilization .*\(got -0\.5\)/],
    [
      { scaleDownUtilizationFactor: 1.5 },
      /scaleDownUtilizationFactor must be a number in \(0, 1\] \(got 1\.5\)/,
    ],
    [{ demandSmoothing: 0 }, /demandSmoothing must be a number in \(0, 1\]/],
    [
      { provisioningLagS: -30 },
      /provisioningLagS must be a number of seconds in \[0, 8000000\] \(got -30\)/,
    ],
    [{ crashDowntimeS: 1e9 }, /crashDowntimeS must be a number of seconds/],
    [{ demandWindowS: 0 }, /demandWindowS must be at least 1e-9 seconds \(1 ns\) \(got 0\)/],
    [{ loadHalfLifeS: 1e-12 }, /loadHalfLifeS must be at least 1e-9 seconds/],
    [{ crashLoadThreshold: true }, /crashLoadThreshold must be a number > 0 \(got true\)/],
    [
      { slotsPerReplica: 'auto' },
      /slotsPerReplica must be "littles-law" or an integer in \[1, 100000\] \(got "auto"\)/,
    ],
    [{ slotsPerReplica: 0 }, /slotsPerReplica .*\(got 0\)/],
  ])('%j', (data, message) => {
    expect(error(data)).toMatch(message);
  });
});

describe('loadBackendFile', () => {
  it('reads a file', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, '{ "queueDepthPerReplica": 20, "crashLoadThreshold": 4 }');
    expect(loadBackendFile(file)).toEqual({ queueDepthPerReplica: 20, crashLoadThreshold: 4 });
  });

  it('names the file when it is missing or not JSON', () => {
    expect(() => loadBackendFile(join(dir, 'none.json'))).toThrow(
      /none\.json: cannot read backend file \(no such file\)/,
    );
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ queueDepthPerReplica: 20 }');
    expect(() => loadBackendFile(file)).toThrow(/bad\.json: not valid JSON/);
  });
});

describe('canonicalBackendConfig', () => {
  it('fills the defaults in a fixed key order whatever the override order', () => {
    const a = canonicalBackendConfig({ maxReplicas: 4, queueDepthPerReplica: 10 });
    const b = canonicalBackendConfig({ queueDepthPerReplica: 10, maxReplicas: 4 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a).toEqual({ ...DEFAULT_BACKEND_CONFIG, maxReplicas: 4, queueDepthPerReplica: 10 });
    expect(Object.keys(a)).toEqual(BACKEND_PARAMETERS);
  });
});
