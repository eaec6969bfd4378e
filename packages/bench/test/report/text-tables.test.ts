/**
 * The suites' printed output split into tables and notes for the report
 * page (src/report/text-tables.ts): every cell as printed, each column's
 * alignment as printed, lines between tables kept as notes.
 */
import { describe, expect, test } from 'vitest';
import { textBlocks } from '../../src/report/text-tables.js';
import { formatTable } from '../../src/suites/shared/tables.js';

describe('textBlocks', () => {
  test('a formatTable table: header, rows and alignment as printed', () => {
    const text = formatTable(
      ['Variation', 'Candidate', 'Delta', 'Crashes (Levee / Static-Peak)'],
      [
        ['baseline', 'Levee', '10339.70', '0 / 3'],
        ['half-RPM', 'Static-Peak', '-4037.41', '1 / 12'],
      ],
      [],
      [1],
    );
    expect(textBlocks(text)).toEqual([
      {
        kind: 'table',
        header: ['Variation', 'Candidate', 'Delta', 'Crashes (Levee / Static-Peak)'],
        rows: [
          ['baseline', 'Levee', '10339.70', '0 / 3'],
          ['half-RPM', 'Static-Peak', '-4037.41', '1 / 12'],
        ],
        align: ['left', 'left', 'right', 'right'],
      },
    ]);
  });

  test('columns as wide as every cell: numbers right, words left', () => {
    const text = formatTable(
      ['A', 'B', 'C'],
      [
        ['x', '7', 'y'],
        ['z', '8', 'w'],
      ],
    );
    const [block] = textBlocks(text);
    expect(block).toMatchObject({ kind: 'table', align: ['left', 'right', 'left'] });
  });

  test('tables and notes in order; blank lines separate blocks', () => {
    const text = [
      'Mesh benchmark: Storefront, 10 nodes, phases A-B (330 s), seed 20241225',
      'Candidate       |   Allowed |  MeshDelta',
      'No-Gov          |    238084 |   -10104.2',
      'Levee           |    184938 |     7436.6',
      'Crashes: No-Gov edge-api x2;',
      '         Static-Breaker edge-api x2; others none.',
      '',
      'Node (crashes / downtime s) |    No-Gov | Levee',
      'edge-api                    | 2 / 143.0 |     -',
      'Levee inbound: 102 instances, CLOSED 95.03%',
      '',
    ].join('\n');
    const blocks = textBlocks(text);
    expect(blocks.map((b) => b.kind)).toEqual(['text', 'table', 'text', 'table', 'text']);
    expect(blocks[0]).toEqual({
      kind: 'text',
      lines: ['Mesh benchmark: Storefront, 10 nodes, phases A-B (330 s), seed 20241225'],
    });
    expect(blocks[2]).toEqual({
      kind: 'text',
      lines: ['Crashes: No-Gov edge-api x2;', '         Static-Breaker edge-api x2; others none.'],
    });
    expect(blocks[3]).toEqual({
      kind: 'table',
      header: ['Node (crashes / downtime s)', 'No-Gov', 'Levee'],
      rows: [['edge-api', '2 / 143.0', '-']],
      align: ['left', 'right', 'right'],
    });
  });

  test('a single line with separators is text, not a table', () => {
    expect(textBlocks('a | b\n\nc\n')).toEqual([
      { kind: 'text', lines: ['a | b'] },
      { kind: 'text', lines: ['c'] },
    ]);
    expect(textBlocks('')).toEqual([]);
  });
});
