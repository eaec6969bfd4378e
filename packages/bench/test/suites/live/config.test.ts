/** The live suite's option parsers: values checked, errors naming the bad entry. */
import { describe, expect, it } from 'vitest';
import {
  capacityRps,
  DEFAULT_SERVICE,
  PHASE_NAMES,
  PHASES,
  parseFlavours,
  parseLoad,
  parsePhaseSeconds,
  parsePhases,
  parseService,
} from '../../../src/suites/live/config.js';
import { OptionValueError } from '../../../src/suites/shared/suite.js';

function why(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof OptionValueError) return `${err.value}: ${err.why}`;
    throw err;
  }
  throw new Error('did not throw');
}

describe('phases', () => {
  it('lists the service phases, then the client phases, recovery after each failure', () => {
    expect(PHASE_NAMES).toEqual([
      'calm',
      '2x',
      '4x',
      '8x',
      'recover',
      'errors',
      'hang',
      'healed',
      'dep-ok',
      'dep-500',
      'dep-hang',
      'dep-refused',
      'dep-healed',
    ]);
    expect(PHASES.filter((p) => p.recovery).map((p) => p.name)).toEqual([
      'recover',
      'healed',
      'dep-healed',
    ]);
    const lastService = PHASES.map((p) => p.part).lastIndexOf('service');
    expect(PHASES.slice(lastService + 1).every((p) => p.part === 'client')).toBe(true);
    // The default run: 38 s of phases.
    expect(PHASES.reduce((s, p) => s + p.seconds, 0)).toBe(38);
  });

  it('parses a subset in the order given and rejects unknown or repeated names', () => {
    expect(parsePhases('4x, calm')).toEqual(['4x', 'calm']);
    expect(why(() => parsePhases('calm,16x'))).toMatch(/^16x: unknown phase; known: calm, 2x/);
    expect(why(() => parsePhases('calm,calm'))).toBe('calm: phase listed twice');
    expect(why(() => parsePhases('calm,,4x'))).toMatch(/empty phase name/);
  });

  it('bounds the phase duration', () => {
    expect(parsePhaseSeconds('1.5')).toBe(1.5);
    expect(why(() => parsePhaseSeconds('0.1'))).toMatch(/between 0.5 and 60/);
    expect(why(() => parsePhaseSeconds('61'))).toMatch(/between 0.5 and 60/);
    expect(why(() => parsePhaseSeconds('soon'))).toMatch(/expected seconds/);
  });
});

describe('--service and --load', () => {
  it('parse key=value pairs into the config fields', () => {
    expect(parseService('slots=10, service-ms=12.5,crash-queue=400')).toEqual({
      slots: 10,
      serviceMs: 12.5,
      crashQueue: 400,
    });
    expect(parseLoad('connections=64,client-timeout-ms=1500')).toEqual({
      connections: 64,
      clientTimeoutMs: 1500,
    });
  });

  it('name the bad pair and why', () => {
    expect(why(() => parseService('slot=3'))).toMatch(/^slot=3: unknown key; known: slots, /);
    expect(why(() => parseService('slots=2.5'))).toBe('slots=2.5: expected an integer');
    expect(why(() => parseService('slots=0'))).toBe('slots=0: slots must be between 1 and 1000');
    expect(why(() => parseService('error-share=1.5'))).toMatch(/between 0 and 1$/);
    expect(why(() => parseService('slots'))).toBe('slots: expected slots=VALUE');
    expect(why(() => parseService('slots=1,slots=2'))).toBe('slots=2: slots given twice');
    expect(why(() => parseLoad('connections=lots'))).toBe('connections=lots: expected a number');
    expect(why(() => parseLoad('connections=9000'))).toMatch(/between 1 and 4096/);
  });

  it('capacity is slots over the service time (Little)', () => {
    expect(capacityRps(DEFAULT_SERVICE)).toBe(250);
    expect(capacityRps({ slots: 10, serviceMs: 40 })).toBe(250);
  });
});

describe('--servers', () => {
  it('takes the three flavours, once each', () => {
    expect(parseFlavours('fastify,http')).toEqual(['fastify', 'http']);
    expect(why(() => parseFlavours('koa'))).toBe(
      'koa: unknown server; known: http, express, fastify',
    );
    expect(why(() => parseFlavours('http,http'))).toBe('http: server listed twice');
  });
});
