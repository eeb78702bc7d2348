import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CatalogDocumentSet } from '../../src/catalog/document-set.js';
import { scanCatalog } from '../../src/catalog/scan-folders.js';
import { NotFoundError } from '../../src/errors.js';
import { strongEtag } from '../../src/image/validators.js';
import type { SourceInfo, SourceOptions } from '../../src/image/types.js';
import { Publications, resourceMapBytes } from '../../src/presentation/publications.js';
import { InvalidResourceError } from '../../src/presentation/validate.js';
import { testCorpus } from '../catalog/corpus.js';
import { fixtureDocument, imageConfig } from './fixture-document.js';

const base = 'https://iiif.example.org';

/** An image service that knows two images, whose content key the test can change. */
function images(key = 'k1') {
  const state = { key, calls: 0 };
  return {
    state,
    source: async (id: string): Promise<SourceInfo> => {
      state.calls++;
      return { id, width: 1000, height: 1400, key: `${id}:${state.key}`, modified: new Date(0) };
    },
  };
}

describe('Publications', () => {
  it('builds once per base URL, data version and image content, and rebuilds when an image changes', async () => {
    const backend = images();
    const publications = new Publications({ documents: [fixtureDocument], images: backend, imageConfig });
    const manifest = `${base}/iiif/presentation/3/${fixtureDocument.id}/manifest`;
    const first = await publications.resource(fixtureDocument.id, base, manifest);
    expect(first?.etag).toMatch(/^"/);
    expect(await publications.resource(fixtureDocument.id, base, manifest)).toBe(first);
    expect(await publications.resource(fixtureDocument.id, base, `${base}/iiif/presentation/3/${fixtureDocument.id}/canvas/l1`)).toBeDefined();
    expect(publications.builds).toBe(1);
    // An id the build lacks costs one build to find out, then none.
    expect(await publications.resource(fixtureDocument.id, base, `${base}/no/such/resource`)).toBeUndefined();
    expect(await publications.resource(fixtureDocument.id, base, `${base}/no/such/resource`)).toBeUndefined();
    expect(publications.builds).toBe(2);
    await publications.resource(fixtureDocument.id, 'https://other.example', 'https://other.example/x');
    expect(publications.builds).toBe(3);
    backend.state.key = 'k2';
    expect(await publications.resource(fixtureDocument.id, base, manifest)).not.toBe(first);
    expect(publications.builds).toBe(4);
  });

  it('takes page images as last looked at within the documents\' recheck period', async () => {
    const asked: (number | undefined)[] = [];
    const backend = { source: async (id: string, options?: SourceOptions) => (asked.push(options?.maxAgeMs), images().source(id)) };
    const manifest = `${base}/iiif/presentation/3/${fixtureDocument.id}/manifest`;
    await new Publications({ documents: [fixtureDocument], images: backend, imageConfig, recheckMs: 2000 }).resource(fixtureDocument.id, base, manifest);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([2000]));
    asked.length = 0;
    // Without one, the image service's own period.
    await new Publications({ documents: [fixtureDocument], images: backend, imageConfig }).resource(fixtureDocument.id, base, manifest);
    expect(new Set(asked)).toEqual(new Set([undefined]));
  });

  it('keeps resources within maxBytes, and one evicted and built again has the same bytes and ETag', async () => {
    const all = await new Publications({ documents: [fixtureDocument], images: images(), imageConfig }).forDocument(fixtureDocument, base);
    const maxBytes = Math.floor(resourceMapBytes(all) / 2);
    const publications = new Publications({ documents: [fixtureDocument], images: images(), imageConfig, maxBytes });
    const ids = [...all.keys()];
    for (let round = 0; round < 3; round++) {
      for (const id of round === 1 ? [...ids].reverse() : ids) {
        const r = (await publications.resource(fixtureDocument.id, base, id))!;
        expect(publications.heldBytes).toBeLessThanOrEqual(maxBytes);
        expect(r.etag, id).toBe(all.get(id)!.etag);
        expect(r.body.identity.equals(all.get(id)!.body.identity), id).toBe(true);
      }
    }
    expect(publications.builds).toBeGreaterThan(1); // evicted and built again
  });

  it('keeps a collection gzipped, its bytes those its ETag was made from, in both versions', async () => {
    const documents = ['a', 'b', 'c', 'd'].map((n) => ({ ...fixtureDocument, id: `doc-${n}` }));
    const publications = new Publications({ documents, images: images(), imageConfig });
    for (const version of [3, 2] as const) {
      const delo = publications.collection(base, version, 'a-f1-op2-d3')!;
      expect(publications.collection(base, version, 'a-f1-op2-d3')).toBe(delo);
      const json = JSON.parse(delo.body.identity.toString('utf8')) as { items?: unknown[]; manifests?: unknown[] };
      expect((json.items ?? json.manifests)!).toHaveLength(4);
      expect(strongEtag([delo.body.identity])).toBe(delo.etag);
      expect(delo.body.heldBytes).toBeLessThan(delo.body.size / 3);
    }
    expect(publications.collection(base, 3, 'no-such-unit')).toBeUndefined();
  });

  it('verifies every resource at start-up and refuses an invalid one', async () => {
    const ok = new Publications({ documents: [fixtureDocument], images: images(), imageConfig });
    expect(await ok.verify(base)).toBeGreaterThan(20);
    const https = { ...fixtureDocument, record: { ...fixtureDocument.record, rights: { uri: 'https://rightsstatements.org/vocab/CNE/1.0/', reason: '' } } };
    const bad = new Publications({ documents: [https], images: images(), imageConfig });
    await expect(bad.verify(base)).rejects.toThrow(InvalidResourceError);
    await expect(bad.verify(base)).rejects.toThrow(/manifest.*rights/);
  });

  it('refuses to publish one id as two resources: a service declared under the id of the document page', async () => {
    const services = () => ({ v3: [{ id: `${base}/`, type: 'SearchService2' }], v2: [] });
    const clash = new Publications({ documents: [fixtureDocument], images: images(), imageConfig, services });
    await expect(clash.verify(base)).rejects.toThrow(/one id, two resources: https:\/\/iiif\.example\.org\/: type Text at .*, but SearchService2/);
  });
});

describe('Publications over the catalog', () => {
  it('serves a changed folder as it now is, even when the images its catalog entry named are gone', async () => {
    const corpus = await testCorpus(2);
    try {
      const { entries } = await scanCatalog(corpus.manifestsDir, null);
      const documents = new CatalogDocumentSet({ manifestsDir: corpus.manifestsDir, entries, maxBytes: 1 << 24, recheckMs: 0, logger: pino({ level: 'silent' }) });
      const gone = new Set<string>();
      const backend = {
        source: async (id: string): Promise<SourceInfo> => {
          if (gone.has(id)) throw new NotFoundError(`No image with identifier "${id}"`);
          return { id, width: 1000, height: 1400, key: id, modified: new Date(0) };
        },
      };
      const publications = new Publications({ documents, images: backend, imageConfig });
      const id = corpus.ids[0]!;
      const manifest = `${base}/iiif/presentation/3/${id}/manifest`;
      const before = await publications.resource(id, base, manifest);
      expect(before?.body.identity.toString()).toContain(`${id}-rgaspi-f558-op11-d340-l043`);

      // The scans are replaced under new names, and the old ones removed.
      const recordFile = path.join(corpus.dir(id), 'record.json');
      const record = JSON.parse(await readFile(recordFile, 'utf8')) as { leaves: { image: string }[] };
      for (const leaf of record.leaves) {
        gone.add(leaf.image);
        leaf.image = `${leaf.image}-scan`;
      }
      await writeFile(recordFile, JSON.stringify(record));

      const after = await publications.resource(id, base, manifest);
      expect(after?.body.identity.toString()).toContain(`${id}-rgaspi-f558-op11-d340-l043-scan`);
    } finally {
      await corpus.remove();
    }
  });
});
