/**
 * The committed data against its source: the published edition in the document's `source/`
 * folder (a verbatim copy of the seed). Reads the committed files only; nothing is re-rendered.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { loadDocument } from '../../src/document/load-document.js';
import type { ArchivalDocument, Box } from '../../src/document/model.js';

const dir = path.join(projectRoot, 'manifests', 'rgaspi-f558-op11-d340-l43-45');
const sourceFile = path.join(dir, 'source', 'cable-21756.txt');
/**
 * The seed the project was started from, in the workspace beside the repository. A clone alone
 * has only the committed copy (which every other test checks), so this test is skipped there.
 */
const seedBeside = path.join(projectRoot, '..', 'shared', 'seed', 'cable-21756.txt');

let document: ArchivalDocument;
let seed: string;
beforeAll(async () => {
  document = await loadDocument(dir);
  seed = await readFile(sourceFile, 'utf8');
});

const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');
/** The Russian text: everything between the two "[...]" marks of the seed. */
const russianOf = (text: string) => text.split('\n[...]\n')[1]!;
/** The English body: from the salutation after the header's "to Cde. FILIPPOV" to the signature. */
const englishOf = (text: string) => {
  const start = text.indexOf('to Cde. FILIPPOV ') + 'to Cde. FILIPPOV '.length;
  return text.slice(start, text.indexOf('\nMAO ZEDONG\n') + '\nMAO ZEDONG'.length);
};
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;

describe('the committed transcription and translation', () => {
  it.skipIf(!existsSync(seedBeside))('source/cable-21756.txt is the seed, byte for byte', async () => {
    expect(seed).toBe(await readFile(seedBeside, 'utf8'));
  });

  it('the ALTO words of ll. 43–45, in order, are exactly the words of the seed’s Russian text', () => {
    const alto = document.leaves.flatMap((l) => l.transcription.blocks.flatMap((b) => b.lines.flatMap((ln) => ln.words)));
    const expected = words(russianOf(seed));
    expect(expected.length).toBeGreaterThan(500);
    expect(alto.map((w) => w.text)).toEqual(expected);
  });

  it('the English paragraphs of ll. 43–45, in order, are exactly the words of the seed’s English body', () => {
    const english = document.leaves.flatMap((l) => l.translation!.paragraphs.map((p) => p.text));
    expect(words(english.join(' '))).toEqual(words(englishOf(seed)));
  });

  it('the leaves break where the English translation’s pages break', () => {
    const russian = document.leaves.map((l) => l.transcription.blocks.map((b) => b.lines.map((ln) => ln.text).join(' ')));
    const english = document.leaves.map((l) => l.translation!.paragraphs.map((p) => p.text));
    // l. 43 ends after agenda item 4
    expect(russian[0]!.at(-1)).toMatch(/^4\. Конкретные .* наблюдения\.$/);
    expect(english[0]!.at(-1)).toMatch(/^4\. Specific measures .* observation\.$/);
    // l. 44 ends inside the sentence "…left until discussion of specific issues about | the agenda"
    expect(russian[1]!.at(-1)).toMatch(/до обсуждения конкретных вопросов по$/);
    expect(english[1]!.at(-1)).toMatch(/discussion of specific issues about$/);
    expect(russian[2]![0]).toMatch(/^повестке дня\. Одновременно/);
    expect(english[2]![0]).toMatch(/^the agenda\. At the same time/);
    // the Russian web page's blank line inside "об отводе | своих войск" is not a break
    expect(russian[2]!.some((p) => p.includes('об отводе своих войск от 38 параллели'))).toBe(true);
    expect(russian[2]!.at(-1)).toBe('МАО ЦЗЭДУН');
  });

  it('maps every English paragraph to the Russian paragraph it translates on the same leaf', () => {
    for (const leaf of document.leaves) {
      expect(leaf.translation!.paragraphs.map((p) => p.targets)).toEqual(leaf.transcription.blocks.map((b) => [b.id]));
    }
  });

  it('every apparatus value is English text from the seed, never Russian', () => {
    const flat = seed.replace(/\s+/g, ' ');
    const values = document.record.apparatus.map((a) => a.value);
    expect(values.length).toBeGreaterThanOrEqual(10);
    for (const value of values) {
      expect(Object.keys(value)).toEqual(['en']);
      for (const text of value.en!) expect(flat).toContain(text);
    }
  });

  it('the citation and the source URL are the seed’s', () => {
    expect(seed).toContain(document.record.source.citation);
    expect(document.record.source.citation).toContain(`<${document.record.source.url}>`);
  });
});

describe('the committed geometry and images', () => {
  it('every word box lies inside its line box, every line inside its block, every block inside the page', () => {
    let count = 0;
    for (const leaf of document.leaves) {
      const { page } = leaf.transcription;
      expect(page).toBeDefined();
      const pageBox = { x: 0, y: 0, w: page!.width, h: page!.height };
      for (const block of leaf.transcription.blocks) {
        expect(inside(block.box!, pageBox), block.id).toBe(true);
        for (const line of block.lines) {
          expect(inside(line.box!, block.box!), line.id).toBe(true);
          for (const word of line.words) {
            expect(word.box.w > 0 && word.box.h > 0, word.id).toBe(true);
            expect(inside(word.box, line.box!), word.id).toBe(true);
            count += 1;
          }
        }
      }
    }
    expect(count).toBeGreaterThan(500);
  });

  it('words on a line run left to right without overlapping', () => {
    for (const line of document.leaves.flatMap((l) => l.transcription.blocks.flatMap((b) => b.lines))) {
      line.words.slice(1).forEach((word, i) => {
        const before = line.words[i]!.box;
        expect(word.box.x, word.id).toBeGreaterThanOrEqual(before.x + before.w);
      });
    }
  });

  it.each([0, 1, 2])('leaf %i: the ink on the image lies in the ALTO word boxes, and every word box holds ink', async (i) => {
    const leaf = document.leaves[i]!;
    const { data, info } = await sharp(path.join(projectRoot, 'images', `${leaf.image}.jpg`))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    const { width, height } = info;
    const inWord = new Uint8Array(width * height);
    const words = leaf.transcription.blocks.flatMap((b) => b.lines.flatMap((l) => l.words));
    const DARK = 150; // paper is about 225, typed ink below 110
    for (const { box } of words) {
      let ink = 0;
      for (let y = box.y; y < box.y + box.h; y += 1) {
        for (let x = box.x; x < box.x + box.w; x += 1) {
          inWord[y * width + x] = 1;
          if ((data[y * width + x] as number) < DARK) ink += 1;
        }
      }
      expect(ink, `ink in ${words.length} words`).toBeGreaterThan(100);
    }
    const top = Math.min(...words.map((w) => w.box.y)) - 20;
    let stray = 0;
    let folio = 0;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if ((data[y * width + x] as number) >= DARK || inWord[y * width + x]) continue;
        if (y < top && x > width * 0.75) folio += 1; // the folio stamp, which is not text of the document
        else stray += 1;
      }
    }
    expect(stray).toBe(0);
    expect(folio).toBeGreaterThan(1000);
  });

  it.each([0, 1, 2])('leaf %i: the JPEG has the ALTO page size, A4 portrait at ~400 dpi, under 5 MB', async (i) => {
    const leaf = document.leaves[i]!;
    const file = path.join(projectRoot, 'images', `${leaf.image}.jpg`);
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', leaf.transcription.page!.width, leaf.transcription.page!.height]);
    expect(meta.width! / meta.height!).toBeCloseTo(210 / 297, 3);
    expect(Math.abs(meta.width! - 3307)).toBeLessThan(20);
    expect((await stat(file)).size).toBeLessThan(5 * 1024 * 1024);
    const alto = await readFile(path.join(dir, leaf.transcription.file), 'utf8');
    expect(alto).toContain(`<fileName>${leaf.image}.jpg</fileName>`);
  });
});
