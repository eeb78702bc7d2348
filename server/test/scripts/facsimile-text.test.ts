import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeed } from '../../scripts/facsimile/seed-text.js';
import { rowsUsed, typeset } from '../../scripts/facsimile/typeset.js';
import { projectRoot } from '../../src/config.js';

const seedFile = path.join(projectRoot, 'manifests', 'rgaspi-f558-op11-d340-l43-45', 'source', 'cable-21756.txt');

describe('parseSeed', () => {
  it('cuts the Russian and English bodies into leaves 43–45 with paired paragraphs', async () => {
    const leaves = parseSeed(await readFile(seedFile, 'utf8'));
    expect(leaves.map((l) => [l.folio, l.russian.length, l.english.length])).toEqual([
      [43, 9, 9],
      [44, 2, 2],
      [45, 10, 10],
    ]);
    expect(leaves[0]!.russian[0]).toEqual({ kind: 'salutation', text: 'Товарищ Филиппов!' });
    expect(leaves[0]!.english[0]).toBe('Cde. Filippov!');
    expect(leaves[1]!.russian.map((p) => p.kind)).toEqual(['item', 'paragraph']);
    expect(leaves[2]!.russian[0]!.kind).toBe('continuation');
    expect(leaves[2]!.russian.at(-1)).toEqual({ kind: 'signature', text: 'МАО ЦЗЭДУН' });
  });

  it('refuses a seed whose page-break marker is missing', async () => {
    const seed = (await readFile(seedFile, 'utf8')).replace('discussion of specific issues about', 'discussion of issues about');
    expect(() => parseSeed(seed)).toThrow('seed: expected exactly one "discussion of specific issues about"');
  });
});

describe('typeset', () => {
  it('fills lines to the column limit, indents paragraphs, centres the salutation and sets the signature right', () => {
    const blocks = typeset(
      [
        { kind: 'salutation', text: 'Товарищ Филиппов!' },
        { kind: 'paragraph', text: 'один два три четыре пять' },
        { kind: 'continuation', text: 'шесть семь' },
        { kind: 'signature', text: 'МАО ЦЗЭДУН' },
      ],
      { columns: 20, indent: 5 },
    );
    expect(blocks.map((b) => b.lines.map((l) => [l.row, l.words.map((w) => `${w.col}:${w.text}`)]))).toEqual([
      [[0, ['1:Товарищ', '9:Филиппов!']]],
      [
        [2, ['5:один', '10:два', '14:три']],
        [3, ['0:четыре', '7:пять']],
      ],
      [[4, ['0:шесть', '6:семь']]],
      [[6, ['5:МАО', '9:ЦЗЭДУН']]],
    ]);
    expect(rowsUsed(blocks)).toBe(7);
  });
});
