import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocumentPdf, type LeafPage } from '../../src/pdf/document-pdf.js';
import { fixtureDocument } from '../presentation/fixture-document.js';
import { infoFields, normalised, poppler } from './poppler.js';

/**
 * A document with one ALTO leaf (word boxes on one line, line boxes only on the next block)
 * and one plain-text leaf (no geometry at all).
 */
let dir: string;
let file: string;
let bytes: Uint8Array;
let pages: LeafPage[];

beforeAll(async () => {
  const blank = await sharp({ create: { width: 500, height: 700, channels: 3, background: '#f4efe2' } }).jpeg().toBuffer();
  pages = fixtureDocument.leaves.map((leaf) => ({ leaf, jpeg: blank, image: { width: 1000, height: 1400 } }));
  bytes = await buildDocumentPdf(fixtureDocument, pages);
  dir = await mkdtemp(path.join(tmpdir(), 'pdf-fixture-'));
  file = path.join(dir, 'fixture.pdf');
  await writeFile(file, bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const pageText = async (page: number) => normalised(await poppler('pdftotext', ['-f', String(page), '-l', String(page), file, '-']));

describe('buildDocumentPdf', () => {
  it('places words by their boxes, and a line that has only a line box as one run over it', async () => {
    expect(await pageText(1)).toBe('Товарищ Филиппов! Первая строка вторая строка.');
  });

  it('puts nothing on a leaf transcribed without geometry: there is nowhere true to put it', async () => {
    expect(await pageText(2)).toBe('');
  });

  it('still closes with the translation that exists, and the record’s citation', async () => {
    const text = await pageText(3);
    expect(text).toContain('Cde. Filippov!');
    expect(text).toContain(fixtureDocument.record.source.citation);
    expect(Number(infoFields(await poppler('pdfinfo', [file])).get('Pages'))).toBe(3);
  });

  it('gives the same bytes for the same data, so a rebuild elsewhere keeps the ETag', async () => {
    const again = await buildDocumentPdf(fixtureDocument, pages);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});
