/**
 * Helpers for the pinned short-run tests: runs `levee-bench` in-process on
 * specs 0-7 and compares with suites/short-pins.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { inlineExecutor } from '../../src/cli/executor.js';
import { main } from '../../src/cli/main.js';

export interface PinnedRow {
  candidate: string;
  blocked: number;
  allowed: number;
  successes: number;
  failures: number;
  delta: number;
  maxConcurrency: number;
  crashes: number;
}

export const PINS = JSON.parse(
  readFileSync(new URL('./short-pins.json', import.meta.url), 'utf8'),
) as Record<string, PinnedRow[] | Record<string, PinnedRow[]>>;

const dir = mkdtempSync(join(tmpdir(), 'levee-bench-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A result as the JSON writes it (schema 1): `candidate` is the registry key,
 * `name` the display name the pins use.
 */
export interface JsonResult extends Omit<PinnedRow, 'crashes'> {
  name: string;
  backend: { crashes: number };
}

/** Runs `levee-bench <argv> --specs 0-7 --json FILE` in-process and returns the JSON. */
export async function runShort(argv: string[]): Promise<Record<string, unknown>> {
  const file = join(dir, `${argv.join('_').replace(/[^\w.-]/g, '')}.json`);
  const code = await main([...argv, '--specs', '0-7', '--json', file], {
    stdout: { write: () => true },
    stderr: { write: () => true, isTTY: false },
    executor: inlineExecutor(),
    cwd: dir,
  });
  expect(code).toBe(0);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The pinned rows of `candidates` (display names) in one configuration of a sweep. */
export function pinsOf(suite: string, configuration: string, candidates: string[]): PinnedRow[] {
  const rows = (PINS[suite] as Record<string, PinnedRow[]>)[configuration]!;
  return candidates.map((c) => rows.find((r) => r.candidate === c)!);
}

/** The pinned fields of a JSON result (the pins name candidates as the tables do). */
export function pinned(r: JsonResult): PinnedRow {
  return {
    candidate: r.name,
    blocked: r.blocked,
    allowed: r.allowed,
    successes: r.successes,
    failures: r.failures,
    delta: r.delta,
    maxConcurrency: r.maxConcurrency,
    crashes: r.backend.crashes,
  };
}
