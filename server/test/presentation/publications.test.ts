import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../src/image/types.js';
import { Publications } from '../../src/presentation/publications.js';
import { InvalidResourceError } from '../../src/presentation/validate.js';
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
    const first = await publications.forDocument(fixtureDocument, base);
    expect(await publications.forDocument(fixtureDocument, base)).toBe(first);
    expect(await publications.forDocument(fixtureDocument, 'https://other.example')).not.toBe(first);
    backend.state.key = 'k2';
    expect(await publications.forDocument(fixtureDocument, base)).not.toBe(first);
  });

  it('keeps at most maxEntries builds', async () => {
    const publications = new Publications({ documents: [fixtureDocument], images: images(), imageConfig, maxEntries: 2 });
    const a = await publications.forDocument(fixtureDocument, 'https://a.example');
    await publications.forDocument(fixtureDocument, 'https://b.example');
    await publications.forDocument(fixtureDocument, 'https://c.example');
    expect(await publications.forDocument(fixtureDocument, 'https://a.example')).not.toBe(a);
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
