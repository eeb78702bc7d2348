import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogDocumentSet } from '../../src/catalog/document-set.js';
import { scanCatalog } from '../../src/catalog/scan-folders.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { searchRouter } from '../../src/search/router.js';
import { breakAlto, testCorpus, type TestCorpus } from '../catalog/corpus.js';
import { listen, type Listening, memoryLogger } from '../http/listen.js';

/**
 * Search over the catalog as the service runs it: an answer is keyed by the stamp of the
 * document's folder, so answering, revalidating and reading a kept index load nothing, while
 * a folder that changed is loaded, checked and indexed anew on its next search.
 */
let corpus: TestCorpus;
let indexDir: string;
let set: CatalogDocumentSet;
let service: Listening;

beforeAll(async () => {
  corpus = await testCorpus(3);
  indexDir = await mkdtemp(path.join(tmpdir(), 'catalog-search-'));
  const { entries } = await scanCatalog(corpus.manifestsDir, null);
  set = new CatalogDocumentSet({ manifestsDir: corpus.manifestsDir, entries, maxBytes: 64 * 1024 * 1024, recheckMs: 0, logger: memoryLogger('silent').logger });
  const app = express().use(searchRouter({ config: { publicBaseUrl: null, trustProxy: false }, documents: set, indexDir }));
  app.use(notFound);
  app.use(errorHandler);
  service = await listen(app);
});
afterAll(async () => {
  await service.close();
  await rm(indexDir, { recursive: true, force: true });
  await corpus.remove();
});

const search = (doc: string, q: string, headers: Record<string, string> = {}) =>
  fetch(`${service.url}/iiif/search/2/${doc}?q=${encodeURIComponent(q)}`, { headers });
const hits = async (res: Response) => ((await res.json()) as { items: unknown[] }).items.length;

describe('search over the catalog', () => {
  it('loads a document once, to index it; repeated and revalidated searches load nothing', async () => {
    const first = await search('doc-000', 'Филиппов');
    expect(first.status).toBe(200);
    expect(await hits(first)).toBe(1);
    expect(set.loads).toBe(1);
    const etag = first.headers.get('etag')!;
    expect((await search('doc-000', 'Филиппов', { 'If-None-Match': etag })).status).toBe(304);
    expect(await hits(await search('doc-000', 'Кореи'))).toBeGreaterThan(0);
    expect(set.loads).toBe(1);
  });

  it('searches a changed folder as it now is, under a new ETag', async () => {
    const before = await search('doc-001', 'Филиппов');
    expect(await hits(before)).toBe(1);
    const alto = path.join(corpus.dir('doc-001'), 'l043.alto.xml');
    const text = await readFile(alto, 'utf8');
    await rm(alto); // a hard link of the committed file: replaced, not written through
    await writeFile(alto, text.replace('CONTENT="Филиппов!"', 'CONTENT="Ф."'));
    const after = await search('doc-001', 'Филиппов', { 'If-None-Match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(await hits(after)).toBe(0);
  });

  it('answers a folder broken since it was indexed with a 500 naming the file, not with its old index', async () => {
    expect((await search('doc-002', 'Кореи')).status).toBe(200);
    await breakAlto(corpus, 'doc-002');
    const broken = await search('doc-002', 'Кореи');
    expect(broken.status).toBe(500);
    expect(await broken.text()).toMatch(/doc-002\/l044\.alto\.xml/);
  });

  it('answers 404 for a document that is not there', async () => {
    expect((await search('doc-999', 'Кореи')).status).toBe(404);
  });
});
