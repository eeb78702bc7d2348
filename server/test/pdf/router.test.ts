import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfFiles } from '../../src/pdf/pdf-files.js';
import { fileIds } from '../../src/presentation/ids.js';
import { request } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import { startPresentationServer } from '../presentation/presentation-server.js';
import { documentId, realDocument } from '../presentation/real-data.js';

/** The service's log lines, to count the PDF builds it reports. */
const logLines: { msg?: string; file?: string }[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as { msg?: string });
      done();
    },
  }),
);
const builds = (file: string) => logLines.filter((l) => l.msg === 'built PDF' && l.file === file).length;

let server: TestServer;
const pdfPath = (name: string) => new URL(fileIds(server.url, documentId).pdf(name)).pathname;

beforeAll(async () => {
  server = await startPresentationServer({}, undefined, logger);
});
afterAll(() => server.close());

describe('GET /iiif/presentation/{doc}/files/{doc}.pdf', () => {
  it('sends the PDF with its length, a strong ETag, the presentation files’ caching and a file name', async () => {
    const res = await request(server.url, pdfPath(documentId));
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toBe('application/pdf');
    expect(Number(res.header('content-length'))).toBe(res.body.length);
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.header('etag')).toMatch(/^"[^"]+"$/);
    expect(res.header('cache-control')).toBe('public, max-age=300');
    expect(res.header('content-disposition')).toBe(`inline; filename="${documentId}.pdf"`);
    expect(res.header('content-encoding')).toBe('');
  }, 60_000);

  it('answers 304 to its own ETag, and HEAD with the headers alone', async () => {
    const first = await request(server.url, pdfPath(documentId));
    const etag = first.header('etag');
    const revalidated = await request(server.url, pdfPath(documentId), { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    const head = await request(server.url, pdfPath(documentId), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.header('etag')).toBe(etag);
    expect(head.header('content-length')).toBe(String(first.body.length));
    expect(head.body.length).toBe(0);
  });

  it('builds once: later requests are served from the cache, and the file is kept in CACHE_DIR', async () => {
    const before = builds(documentId);
    const again = await request(server.url, pdfPath(documentId));
    expect(again.status).toBe(200);
    expect(builds(documentId)).toBe(before);
    expect(before).toBe(1);
    const dir = path.join(server.cacheDir, 'pdf', documentId);
    const stored = (await readdir(dir)).filter((n) => n.startsWith(`${documentId}.`) && n.endsWith('.pdf'));
    expect(stored).toHaveLength(1);
    expect((await readFile(path.join(dir, stored[0]!))).equals(again.body)).toBe(true);
  });
});

describe('a leaf’s PDF', () => {
  it('holds that leaf and a closing page; concurrent first requests share one build', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => request(server.url, pdfPath('l44'))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.header('etag'))).size).toBe(1);
    expect(builds('l44')).toBe(1);
    const pdf = await PDFDocument.load(answers[0]!.body);
    expect(pdf.getPageCount()).toBe(2);
    expect(pdf.getTitle()).toContain('l. 44');
    expect(answers[0]!.header('content-disposition')).toBe('inline; filename="l44.pdf"');
  }, 60_000);
});

describe('what is not there', () => {
  it.each([
    ['an unknown document', '/iiif/presentation/no-such-document/files/no-such-document.pdf'],
    ['an unknown leaf', `/iiif/presentation/${documentId}/files/l99.pdf`],
    ['another document’s name', `/iiif/presentation/${documentId}/files/other.pdf`],
    ['a path outside the files', `/iiif/presentation/${documentId}/files/..%2F..%2Fetc.pdf`],
  ])('is a 404: %s', async (_what, p) => {
    const res = await request(server.url, p);
    expect(res.status).toBe(404);
    expect(res.header('content-type')).not.toBe('application/pdf');
  });

  it('is a 400 for a malformed percent-encoding, not a server error', async () => {
    const res = await request(server.url, `/iiif/presentation/%E0%A4%A/files/x.pdf`);
    expect(res.status).toBe(400);
  });

  it('is read-only: POST is a 405', async () => {
    const res = await request(server.url, pdfPath(documentId), { method: 'POST' });
    expect(res.status).toBe(405);
  });
});

describe('the manifests link to it', () => {
  it('3.0: a Text rendering in application/pdf, labelled in English and Russian, that resolves to the PDF', async () => {
    const manifest = (await (await fetch(`${server.url}/iiif/presentation/3/${documentId}/manifest`)).json()) as {
      rendering: { id: string; type: string; format: string; label: Record<string, string[]> }[];
      items: { rendering?: { id: string; format: string }[] }[];
    };
    const pdf = manifest.rendering.find((r) => r.format === 'application/pdf')!;
    expect(pdf).toMatchObject({ id: fileIds(server.url, documentId).pdf(documentId), type: 'Text' });
    expect(Object.keys(pdf.label)).toEqual(['en', 'ru']);
    const res = await fetch(pdf.id, { method: 'HEAD' });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const document = await realDocument();
    expect(manifest.items.map((c) => c.rendering?.find((r) => r.format === 'application/pdf')?.id)).toEqual(
      document.leaves.map((leaf) => fileIds(server.url, documentId).pdf(leaf.id)),
    );
  });

  it('2.1: a dctypes:Text rendering in application/pdf', async () => {
    const manifest = (await (await fetch(`${server.url}/iiif/presentation/2/${documentId}/manifest`)).json()) as {
      rendering: { '@id': string; '@type': string; format: string }[];
    };
    expect(manifest.rendering).toContainEqual(
      expect.objectContaining({ '@id': fileIds(server.url, documentId).pdf(documentId), '@type': 'dctypes:Text', format: 'application/pdf' }),
    );
  });
});

describe('PdfFiles with a cache that cannot be written', () => {
  it('still serves, from memory, building once', async () => {
    const blocker = path.join(server.cacheDir, 'not-a-folder');
    await writeFile(blocker, '');
    const files = new PdfFiles({ images: server.images, limits: server.config.limits, cacheDir: blocker, logger: pino({ level: 'silent' }) });
    const document = await realDocument();
    const leaf = document.leaves[0]!;
    const first = await files.get(document, leaf);
    const second = await files.get(document, leaf);
    expect(first.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(second).toBe(first);
    expect(files.builds).toBe(1);
  }, 60_000);
});
