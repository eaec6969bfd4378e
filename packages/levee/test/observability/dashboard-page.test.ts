/**
 * The page's script and style are real files (src/observability/dashboard/),
 * inlined into the HTML and allowed by their content's hash: checked from the
 * source and from the built package (`@leveejs/levee/dashboard` resolves to
 * dist/, built by `npm test` before the tests run).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { createDashboardHandler as fromSource } from '../../src/observability/dashboard.js';
import { httpRequest } from './metrics-fixtures.js';

const dir = new URL('../../src/observability/dashboard/', import.meta.url);
const script = readFileSync(new URL('page.js', dir), 'utf8');
const style = readFileSync(new URL('page.css', dir), 'utf8');
const hash = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const servers: Server[] = [];
const handlers: Array<{ close(): void }> = [];
afterAll(async () => {
  for (const h of handlers) h.close(); // stops each handler's sampling timer
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function page(
  handler: RequestListener & { close(): void },
): Promise<{ body: string; csp: string }> {
  handlers.push(handler);
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const res = await httpRequest(`http://127.0.0.1:${port}/`);
  expect(res.status).toBe(200);
  return { body: res.body, csp: String(res.headers['content-security-policy']) };
}

describe('the dashboard page files', () => {
  test('are type-checked browser code that cannot end their own element', () => {
    expect(script.startsWith('// @ts-check\n')).toBe(true);
    expect(script).not.toMatch(/<\/script/i);
    expect(style).not.toMatch(/<\/style/i);
    expect(script).not.toMatch(/^\s*(import|export)\s/m); // a classic script
  });

  for (const [name, load] of [
    ['from the source', async () => fromSource(new Map())],
    [
      'from the built package',
      async () => (await import('@leveejs/levee/dashboard')).createDashboardHandler(new Map()),
    ],
  ] as const) {
    test(`are inlined and allowed by their hashes, ${name}`, async () => {
      const { body, csp } = await page(await load());
      expect(body).toContain(`<script>${script}</script>`);
      expect(body).toContain(`<style>${style}</style>`);
      expect(csp).toContain(`script-src ${hash(script)}`);
      expect(csp).toContain(`style-src ${hash(style)}`);
    });
  }
});
