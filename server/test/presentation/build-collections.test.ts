import { describe, expect, it } from 'vitest';
import { buildCollections } from '../../src/presentation/build-collections.js';
import { problems } from '../../src/presentation/validate.js';
import { fixtureDocument } from './fixture-document.js';

const base = 'https://iiif.example.org';
const member = { id: fixtureDocument.id, title: fixtureDocument.record.title, hierarchy: fixtureDocument.record.hierarchy };
const other = { ...member, id: 'other-doc', title: { en: ['Other'] } };

describe('buildCollections', () => {
  it('nests fond → opis → delo → manifests, with bilingual labels, in 3.0 and 2.1', () => {
    const { v3, v2 } = buildCollections(base, [member, other]);
    expect([...v3.keys()]).toEqual(['a-f1', 'a-f1-op2', 'a-f1-op2-d3']);
    expect(v3.get('a-f1')!.items).toEqual([
      { id: `${base}/iiif/presentation/3/collection/a-f1-op2`, type: 'Collection', label: { ru: ['Ф. 1. Оп. 2'], en: ['f. 1, op. 2'] } },
    ]);
    expect(v3.get('a-f1-op2-d3')!.items.map((i) => [i.id, i.type])).toEqual([
      [`${base}/iiif/presentation/3/test-doc/manifest`, 'Manifest'],
      [`${base}/iiif/presentation/3/other-doc/manifest`, 'Manifest'],
    ]);
    expect(v3.get('a-f1-op2-d3')!.partOf).toEqual([{ id: `${base}/iiif/presentation/3/collection/a-f1-op2`, type: 'Collection' }]);
    for (const c of v3.values()) expect(problems('collection3', c)).toEqual([]);
    expect(v2.get('a-f1-op2-d3')).toMatchObject({
      '@type': 'sc:Collection',
      within: `${base}/iiif/presentation/2/collection/a-f1-op2`,
      manifests: [{ '@id': `${base}/iiif/presentation/2/test-doc/manifest` }, { '@id': `${base}/iiif/presentation/2/other-doc/manifest` }],
    });
    for (const c of v2.values()) expect(problems('resource2', c)).toEqual([]);
  });
});
