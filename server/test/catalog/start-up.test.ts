import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceProcess } from '../hardening/service-process.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

const documents = 300;
let corpus: TestCorpus;
let service: ServiceProcess | undefined;

beforeAll(async () => {
  corpus = await testCorpus(documents);
  // Every document but the first has a bad ALTO: a start-up that built or checked them all
  // could not get ready, so a ready service proves it read no more than the catalog.
  for (const id of corpus.ids.slice(1)) await breakAlto(corpus, id);
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await corpus?.remove();
});

describe('start-up with hundreds of documents', () => {
  it('gets ready from the catalog alone; a good document serves, a bad one answers 500 naming its file and field', async () => {
    service = await ServiceProcess.startQuiet({
      MANIFESTS_DIR: corpus.manifestsDir,
      IMAGES_DIR: corpus.imagesDir,
      CACHE_DIR: path.join(corpus.root, 'cache'),
      INGEST_ON_START: 'false',
      LOG_LEVEL: 'info',
    }, 60_000);
    const catalog = await service.waitForLog((l) => l.msg === 'document catalog read');
    expect(catalog).toMatchObject({ documents, checked: 0, fromFile: false });

    const good = await fetch(`${service.url}/iiif/presentation/3/${corpus.ids[0]}/manifest`);
    expect(good.status).toBe(200);
    const bad = await fetch(`${service.url}/iiif/presentation/3/${corpus.ids[7]}/manifest`);
    expect(bad.status).toBe(500);
    expect(await bad.text()).toMatch(/^Invalid document data in manifests\/doc-007\/l044\.alto\.xml at TextLine\[ID="l44-b1-l1"\]\/@HPOS: /);
    const search = await fetch(`${service.url}/iiif/search/2/${corpus.ids[9]}?q=mao`);
    expect(search.status).toBe(500);
    // The collections come from the catalog: every document is listed, broken ones included.
    const collection = (await (await fetch(`${service.url}/iiif/presentation/3/collection/rgaspi-f558-op11-d1001`)).json()) as { items: unknown[] };
    expect(collection.items).toHaveLength(documents - 200);
    expect((await fetch(`${service.url}/iiif/presentation/3/${corpus.ids[0]}/manifest`)).status).toBe(200);
  }, 90_000);
});
