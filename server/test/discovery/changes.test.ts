import { describe, expect, it } from 'vitest';
import { activities, changesCollection, changesPageAt, type ChangedResource, defaultPageSize, pageCount } from '../../src/discovery/changes.js';
import { discoveryProblems } from '../../src/discovery/validate.js';

const base = 'https://iiif.example.org';
const at = (iso: string) => new Date(iso);
const resources: ChangedResource[] = [
  { id: `${base}/m/b`, type: 'Manifest', modified: at('2024-05-01T10:00:00.900Z') },
  { id: `${base}/c/fond`, type: 'Collection', modified: at('2024-01-01T00:00:00Z') },
  { id: `${base}/m/a`, type: 'Manifest', modified: at('2024-05-01T10:00:00.900Z') },
  { id: `${base}/m/c`, type: 'Manifest', modified: at('2023-12-31T23:59:59Z') },
  { id: `${base}/c/opis`, type: 'Collection', modified: at('2024-03-01T12:30:00Z') },
];

describe('the activities', () => {
  it('are one Update per resource, oldest first (ties by id), timed in UTC to the second', () => {
    expect(activities(resources)).toEqual([
      { type: 'Update', object: { id: `${base}/m/c`, type: 'Manifest' }, endTime: '2023-12-31T23:59:59Z' },
      { type: 'Update', object: { id: `${base}/c/fond`, type: 'Collection' }, endTime: '2024-01-01T00:00:00Z' },
      { type: 'Update', object: { id: `${base}/c/opis`, type: 'Collection' }, endTime: '2024-03-01T12:30:00Z' },
      { type: 'Update', object: { id: `${base}/m/a`, type: 'Manifest' }, endTime: '2024-05-01T10:00:00Z' },
      { type: 'Update', object: { id: `${base}/m/b`, type: 'Manifest' }, endTime: '2024-05-01T10:00:00Z' },
    ]);
  });
});

describe('the ordered collection and its pages', () => {
  const all = activities(resources);

  it('come 100 activities to a page unless the service says otherwise', () => {
    expect(defaultPageSize).toBe(100);
    expect(pageCount(0, 100)).toBe(1);
    expect(pageCount(100, 100)).toBe(1);
    expect(pageCount(101, 100)).toBe(2);
  });

  it('point from the collection to the first and last page, which chain both ways with their start index', () => {
    expect(changesCollection(base, all, 2)).toEqual({
      '@context': 'http://iiif.io/api/discovery/1/context.json',
      id: `${base}/iiif/discovery/changes`,
      type: 'OrderedCollection',
      totalItems: 5,
      first: { id: `${base}/iiif/discovery/changes/page/0`, type: 'OrderedCollectionPage' },
      last: { id: `${base}/iiif/discovery/changes/page/2`, type: 'OrderedCollectionPage' },
    });
    const pages = [0, 1, 2].map((n) => changesPageAt(base, all, 2, n)!);
    expect(pages.map((p) => [p.startIndex, p.prev?.id, p.next?.id, p.orderedItems.length])).toEqual([
      [0, undefined, `${base}/iiif/discovery/changes/page/1`, 2],
      [2, `${base}/iiif/discovery/changes/page/0`, `${base}/iiif/discovery/changes/page/2`, 2],
      [4, `${base}/iiif/discovery/changes/page/1`, undefined, 1],
    ]);
    expect(pages.flatMap((p) => p.orderedItems)).toEqual(all);
    for (const p of pages) expect(p.partOf).toEqual({ id: `${base}/iiif/discovery/changes`, type: 'OrderedCollection' });
  });

  it('has no page before the first or after the last', () => {
    for (const n of [-1, 3, 1.5, Number.NaN]) expect(changesPageAt(base, all, 2, n)).toBeUndefined();
  });

  it('match our Change Discovery 1.0 schema', () => {
    expect(discoveryProblems('collection', changesCollection(base, all, 2))).toEqual([]);
    for (const n of [0, 1, 2]) expect(discoveryProblems('page', changesPageAt(base, all, 2, n))).toEqual([]);
  });
});

describe('our Change Discovery 1.0 schema', () => {
  const page = changesPageAt(base, activities(resources), 100, 0)!;
  const collection = changesCollection(base, activities(resources), 100);

  it.each([
    ['a collection without `last`', 'collection', { ...collection, last: undefined }],
    ['a collection with another context', 'collection', { ...collection, '@context': 'http://iiif.io/api/presentation/3/context.json' }],
    ['a collection with a negative total', 'collection', { ...collection, totalItems: -1 }],
    ['a page without activities', 'page', { ...page, orderedItems: [] }],
    ['a page linking a collection as `prev`', 'page', { ...page, prev: { id: `${base}/x`, type: 'OrderedCollection' } }],
    ['an activity without an object', 'page', { ...page, orderedItems: [{ type: 'Update', endTime: '2024-01-01T00:00:00Z' }] }],
    ['an activity of an unknown type', 'page', { ...page, orderedItems: [{ ...page.orderedItems[0], type: 'Touch' }] }],
    ['an end time not in UTC', 'page', { ...page, orderedItems: [{ ...page.orderedItems[0], endTime: '2024-01-01T03:00:00+03:00' }] }],
    ['an object id that is not an HTTP(S) URI', 'page', { ...page, orderedItems: [{ ...page.orderedItems[0], object: { id: 'urn:x:1', type: 'Manifest' } }] }],
  ] as const)('rejects %s', (_what, kind, value) => {
    expect(discoveryProblems(kind, JSON.parse(JSON.stringify(value)))).not.toEqual([]);
  });
});
