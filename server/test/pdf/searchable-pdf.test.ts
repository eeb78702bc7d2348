import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivalDocument, Section } from '../../src/document/model.js';
import { bothLanguages } from '../../src/pdf/document-pdf.js';
import { fileIds } from '../../src/presentation/ids.js';
import { linesOf } from '../../src/presentation/leaf-regions.js';
import type { TestServer } from '../helpers/server.js';
import { startPresentationServer } from '../presentation/presentation-server.js';
import { realDocument } from '../presentation/real-data.js';
import { bboxWords, infoFields, normalised, poppler } from './poppler.js';

let server: TestServer;
let document: ArchivalDocument;
let dir: string;
let file: string;
let bytes: Buffer;

/** The document's PDF as the service serves it, saved for poppler. */
beforeAll(async () => {
  server = await startPresentationServer();
  document = await realDocument();
  const url = fileIds(server.url, document.id).pdf(document.id);
  const response = await fetch(url);
  expect(response.status).toBe(200);
  bytes = Buffer.from(await response.arrayBuffer());
  dir = await mkdtemp(path.join(tmpdir(), 'pdf-test-'));
  file = path.join(dir, 'document.pdf');
  await writeFile(file, bytes);
}, 60_000);
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const pageText = (page: number) => poppler('pdftotext', ['-f', String(page), '-l', String(page), file, '-']);

describe('the document PDF, as poppler reads it', () => {
  it('has one page per leaf and a closing page, leaf pages of A4 width at the image’s own proportions', async () => {
    const info = infoFields(await poppler('pdfinfo', [file]));
    expect(Number(info.get('Pages'))).toBe(document.leaves.length + 1);
    const sizes = infoFields(await poppler('pdfinfo', ['-f', '1', '-l', '1', file]));
    const [width, height] = /([\d.]+) x ([\d.]+)/.exec(sizes.get('Page    1 size') ?? '')!.slice(1).map(Number) as [number, number];
    expect(width).toBeCloseTo(595.28, 1);
    const page = document.leaves[0]!.transcription.page!;
    expect(height / width).toBeCloseTo(page.height / page.width, 3);
  });

  it('names the document in both languages, its creator, subject and shelfmark in the metadata', async () => {
    const info = infoFields(await poppler('pdfinfo', [file]));
    const r = document.record;
    expect(info.get('Title')).toContain(r.title.ru![0]);
    expect(info.get('Title')).toContain(r.title.en![0]);
    expect(info.get('Author')).toContain(r.creator.en![0]);
    expect(info.get('Author')).toContain(r.creator.ru![0]);
    expect(info.get('Subject')).toContain(r.summary.en![0]);
    expect(info.get('Keywords')).toContain(r.reference.ru);
    expect(info.get('Keywords')).toContain(r.reference.en);
    expect(info.get('Creator')).toMatch(/rgaspi-cable-21756-iiif/);
    expect(info.get('Producer')).toMatch(/rgaspi-cable-21756-iiif/);
  });

  /** `pdffonts` rows (of some pages) as name, emb, sub, uni. */
  async function fonts(args: string[] = []): Promise<{ name: string; emb: string; sub: string; uni: string }[]> {
    const rows = (await poppler('pdffonts', [...args, file])).split('\n').slice(2).filter(Boolean);
    // name, type (two words), encoding, emb, sub, uni, object, generation
    return rows.map((row) => {
      const [name, , , , emb, sub, uni] = row.trim().split(/\s+/) as string[];
      return { name: name!, emb: emb!, sub: sub!, uni: uni! };
    });
  }

  it('embeds its Cyrillic font, and no other: the leaves’ invisible text as a subset', async () => {
    const all = await fonts();
    expect(all.length).toBeGreaterThan(0);
    for (const font of all) {
      expect(font.name).toMatch(/^([A-Z]{6}\+)?PTSans-Regular$/);
      expect([font.emb, font.uni]).toEqual(['yes', 'yes']);
    }
    const leafPage = await fonts(['-f', '1', '-l', '1']);
    expect(leafPage).toEqual([expect.objectContaining({ name: expect.stringMatching(/^[A-Z]{6}\+PTSans-Regular$/), sub: 'yes' })]);
  });

  it('sets the visible closing page in the whole font, whose hinted glyphs every reader can draw', async () => {
    const closing = await fonts(['-f', String(document.leaves.length + 1), '-l', String(document.leaves.length + 1)]);
    expect(closing).toEqual([{ name: 'PTSans-Regular', emb: 'yes', sub: 'no', uni: 'yes' }]);
  });

  it('gives each leaf’s page the leaf’s transcription, word for word in reading order', async () => {
    for (const [i, leaf] of document.leaves.entries()) {
      const expected = normalised(linesOf(leaf).map((l) => l.text).join(' '));
      expect(normalised(await pageText(i + 1)), leaf.id).toBe(expected);
    }
  });

  it('finds «переговоров» on the leaves whose transcription has it, and only there', async () => {
    const word = 'переговоров';
    const found: string[] = [];
    for (const [i, leaf] of document.leaves.entries()) if ((await pageText(i + 1)).includes(word)) found.push(leaf.id);
    const expected = document.leaves.filter((leaf) => linesOf(leaf).some((l) => l.text.includes(word))).map((l) => l.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(found).toEqual(expected);
  });

  it('puts every word of the text layer inside its ALTO word box, scaled to the page', async () => {
    const tolerance = 0.25; // points: rounding of the page and the boxes
    for (const [i, leaf] of document.leaves.entries()) {
      const boxes = bboxWords(await poppler('pdftotext', ['-bbox', '-f', String(i + 1), '-l', String(i + 1), file, '-']));
      const words = linesOf(leaf).flatMap((l) => l.words);
      expect(boxes.map((b) => b.text)).toEqual(words.map((w) => w.text));
      const scale = 595.2756 / leaf.transcription.page!.width;
      boxes.forEach((box, j) => {
        const alto = words[j]!.box;
        const where = `${leaf.id} ${words[j]!.id} «${box.text}»`;
        expect(box.xMin, where).toBeGreaterThanOrEqual(alto.x * scale - tolerance);
        expect(box.xMax, where).toBeLessThanOrEqual((alto.x + alto.w) * scale + tolerance);
        expect(box.yMin, where).toBeGreaterThanOrEqual(alto.y * scale - tolerance);
        expect(box.yMax, where).toBeLessThanOrEqual((alto.y + alto.h) * scale + tolerance);
        // Matched in width, so selecting a word highlights that word on the image.
        expect(box.xMax - box.xMin, where).toBeGreaterThan(alto.w * scale - 2 * tolerance);
      });
    }
  });

  it('closes with the English translation, the citation, the rights statement and the facsimile notice', async () => {
    const text = normalised(await pageText(document.leaves.length + 1));
    const r = document.record;
    const firstParagraph = document.leaves[0]!.translation!.paragraphs[0]!.text;
    expect(text).toContain(normalised(firstParagraph));
    const lastLeaf = document.leaves.at(-1)!.translation!.paragraphs;
    expect(text).toContain(normalised(lastLeaf.at(-1)!.text));
    expect(text).toContain(r.reference.ru);
    expect(text).toContain(normalised(r.source.citation));
    expect(text).toContain(r.rights.uri);
    expect(text).toContain(normalised(r.facsimileNotice.en![0]!));
    expect(text).toContain(normalised(r.facsimileNotice.ru![0]!));
  });
});

describe('the bookmarks', () => {
  interface Bookmark {
    title: string;
    page: number;
    children: Bookmark[];
  }

  async function outline(): Promise<Bookmark[]> {
    const pdf = await PDFDocument.load(bytes);
    const pageRefs = pdf.getPages().map((p) => p.ref);
    const read = (ref: unknown): Bookmark[] => {
      const out: Bookmark[] = [];
      let next = ref;
      while (next instanceof PDFRef) {
        const item = pdf.context.lookup(next, PDFDict);
        const title = item.lookup(PDFName.of('Title'), PDFString, PDFHexString).decodeText();
        const target = item.lookup(PDFName.of('Dest'), PDFArray).get(0);
        out.push({ title, page: pageRefs.indexOf(target as PDFRef), children: read(item.get(PDFName.of('First'))) });
        next = item.get(PDFName.of('Next'));
      }
      return out;
    };
    const root = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    return read(root.get(PDFName.of('First')));
  }

  /** The leaf page holding a section's first block, as the record's table of contents lists them. */
  const expectedPage = (section: Section): number =>
    document.leaves.findIndex((leaf) => leaf.transcription.blocks.some((b) => section.targets.includes(b.id)));

  it('follow the table of contents, each section opening on the leaf where it starts', async () => {
    const marks = await outline();
    const expected = (sections: readonly Section[]): Bookmark[] =>
      sections.map((s) => ({ title: bothLanguages(s.label), page: expectedPage(s), children: expected(s.items) }));
    expect(marks.slice(0, -1)).toEqual(expected(document.contents));
    // e.g. the agenda's fifth point is on l. 44, the second page
    const agenda = marks.find((m) => m.title.startsWith('Proposed agenda'))!;
    expect(agenda.children.at(-1)).toMatchObject({ page: 1 });
  });

  it('end with the closing page', async () => {
    const marks = await outline();
    expect(marks.at(-1)).toMatchObject({ page: document.leaves.length, children: [] });
  });
});
