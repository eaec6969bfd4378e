import { test } from 'vitest';
import { Levee } from '../src/index.js';
import { Driver } from './harness.js';

test('mixed', () => {
  for (const variant of [0, 1]) {
    const shared = new Levee({ successRate: 0.95, timeoutMs: 100 });
    // Two drivers sharing one heap would be needed; emulate with a single driver and tags.
    const d = new Driver(shared);
    let fastRejected = 0;
    let fastAttempts = 0;
    for (let tick = 0; tick < 2800; tick++) {
      const t = tick * 10;
      const r = d.arrive(t, 5, false);
      fastAttempts++;
      if (!r.admitted) fastRejected++;
      if (tick % 5 === 0) {
        const ts = t + 0.001;
        d.arrive(ts, 50, variant === 0 ? ts >= 3000 : tick * 10 >= 3000);
      }
    }
    d.deliver(1e9);
    console.log(
      'shared',
      variant,
      fastRejected,
      fastAttempts,
      d.transitions
        .map((x) => `${x.at}:${x.to}:${x.trigger}`)
        .slice(0, 8)
        .join(' '),
    );
  }
});
