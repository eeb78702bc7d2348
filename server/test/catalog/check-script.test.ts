import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import express from 'express';
import { pino } from 'pino';
import { readCatalog } from '../../src/catalog/catalog-file.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { loadConfig, projectRoot } from '../../src/config.js';
import { createImageBackend } from '../../src/image/backend.js';
import { documentIds } from '../../src/presentation/ids.js';
import { PublicationStore } from '../../src/presentation/publication-store.js';
import { Publications } from '../../src/presentation/publications.js';
import { indexDirOf } from '../../src/search/index-file.js';
import { searchRouter } from '../../src/search/router.js';
import { listen } from '../http/listen.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

let corpus: TestCorpus;
beforeAll(async () => {
  corpus = await testCorpus(3);
  await breakAlto(corpus, 'doc-002', 'l045.alto.xml');
});
afterAll(async () => {
  await corpus.remove();
});

describe('npm run check', () => {
  it('exits 1 with one line per problem naming the file and field, and writes the catalog of what passed', async () => {
    const cacheDir = path.join(corpus.root, 'cache');
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join('server', 'scripts', 'check.ts')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', MANIFESTS_DIR: corpus.manifestsDir, IMAGES_DIR: corpus.imagesDir, CACHE_DIR: cacheDir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid document data in manifests\/doc-002\/l045\.alto\.xml at TextLine\[ID="[^"]+"\]\/@HPOS: /)]);
    expect(run.stdout).toMatch(/^documents: 3 \(3 checked, 0 unchanged since checked, 1 problems\)/);
    const entries = await readCatalog(cacheDir, corpus.manifestsDir);
    expect(entries?.map((e) => [e.id, typeof e.checked])).toEqual([['doc-000', 'string'], ['doc-001', 'string'], ['doc-002', 'object']]);

    // The passed documents' Presentation builds are kept, and served without loading the document.
    const kept = (await readdir(path.join(cacheDir, 'presentation'), { recursive: true })).filter((f) => f.endsWith('.gz'));
    expect(kept).toHaveLength(2);
    const config = loadConfig({ MANIFESTS_DIR: corpus.manifestsDir, IMAGES_DIR: corpus.imagesDir, CACHE_DIR: cacheDir, INGEST_ON_START: 'false' });
    const logger = pino({ level: 'silent' });
    const documents = await openCatalog(config, logger);
    const images = createImageBackend(config, logger);
    try {
      const publications = new Publications({ documents, images, imageConfig: config, store: new PublicationStore(cacheDir, logger) });
      const base = `http://${config.host}:${config.port}`;
      const manifest = await publications.resource('doc-001', base, documentIds(base, 3, 'doc-001').manifest);
      expect(JSON.parse(manifest!.body.identity.toString())).toMatchObject({ type: 'Manifest', id: documentIds(base, 3, 'doc-001').manifest });
      expect(publications.builds).toBe(0);

      // So are their search indexes: a search answers from the file, and revalidates, without loading either.
      const app = express().use(searchRouter({ config, documents, indexDir: indexDirOf(cacheDir), canvasSize: (id) => images.source(id) }));
      const service = await listen(app);
      try {
        const search = await fetch(`${service.url}/iiif/search/2/doc-001?q=${encodeURIComponent('Филиппов')}`);
        expect(search.status).toBe(200);
        const hits = ((await search.json()) as { items: { target: string }[] }).items;
        expect(hits.length).toBeGreaterThan(0);
        expect(hits[0]!.target).toMatch(/\/iiif\/presentation\/3\/doc-001\/canvas\/l43#xywh=\d+,\d+,\d+,\d+$/);
        const etag = search.headers.get('etag')!;
        const again = await fetch(`${service.url}/iiif/search/2/doc-001?q=${encodeURIComponent('Филиппов')}`, { headers: { 'If-None-Match': etag } });
        expect(again.status).toBe(304);
      } finally {
        await service.close();
      }
      expect(documents.loads).toBe(0);
    } finally {
      await images.close();
    }
  }, 60_000);
});
