import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { answerAutocomplete, answerSearch } from '../../src/search/answer.js';
import { buildSearchIndex } from '../../src/search/build-index.js';
import { SearchIndexCache } from '../../src/search/index-cache.js';
import type { BuiltSearchIndex, SearchIndex } from '../../src/search/search-index.js';
import { decodeSearchIndex, encodeSearchIndex, indexFilePath } from '../../src/search/index-file.js';
import { searchRouter } from '../../src/search/router.js';
import { listen, type Listening } from '../http/listen.js';
import { fixtureDocument } from './fixture-document.js';

/**
 * A built index is kept encoded — in memory and in CACHE_DIR/search — and decoded when it is
 * searched again: the decoded index must be the built one, so every answer stays byte-identical.
 */
let cable: ArchivalDocument;
let dir: string;

beforeAll(async () => {
  const docs = await loadDocuments(path.join(projectRoot, 'manifests'));
  cable = docs.find((d) => d.id === 'rgaspi-f558-op11-d340-l43-45')!;
  dir = await mkdtemp(path.join(tmpdir(), 'search-index-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const withVersion = (doc: ArchivalDocument, id: string, version: string): ArchivalDocument => ({ ...doc, id, version });

/** The cache's index of a loaded document, stamped with its data version (as tests' lookups are). */
async function indexOf(cache: SearchIndexCache, doc: ArchivalDocument): Promise<SearchIndex> {
  const index = await cache.load(doc.id, doc.version, async () => doc);
  if (!index) throw new Error(`no index of ${doc.id}`);
  return index;
}

/**
 * `index` answers as `built` does: the same leaves, units, token places and vocabularies, and
 * the same list for every key of every section, and none for a key it does not have. (A
 * token's keys and surface are the built index's own: they are in its postings and vocabulary.)
 */
function expectSameIndex(index: SearchIndex | undefined, built: BuiltSearchIndex): void {
  expect(index).toBeDefined();
  const plain = (i: SearchIndex) => ({
    version: i.version,
    vocabulary: i.vocabulary,
    latinVocabulary: i.latinVocabulary,
    leaves: i.leaves.map((leaf) => ({
      ...leaf,
      units: leaf.units.map((u) => ({
        ...u,
        text: u.text,
        tokens: u.tokens.slice().map(({ start, end, parts, lines }) => ({ start, end, parts, lines })),
      })),
    })),
  });
  expect(plain(index!)).toEqual(plain(built));
  for (const section of ['postings', 'latinWords', 'latinStems'] as const) {
    for (const [key, list] of built[section]) expect(index![section].get(key), `${section} ${key}`).toEqual(list);
    expect(index![section].get('ru|no such key')).toBeUndefined();
  }
}

describe('the encoded index', () => {
  it('decodes to the index it encodes (the cable and the fixture)', () => {
    for (const doc of [cable, fixtureDocument()]) {
      const built = buildSearchIndex(doc);
      expectSameIndex(decodeSearchIndex(encodeSearchIndex(built)), built);
    }
  });

  it('answers every kind of query, in both versions, as the built index does', () => {
    const built = buildSearchIndex(cable);
    const targets = { service: 'https://example.org/search', canvas: (leaf: string) => `https://example.org/canvas/${leaf}` };
    const queries = ['переговоры', 'Kaesong', '"38 параллели"', 'peregovory', 'по-прежнему', 'иностранных войск', 'armistice negotiations', 'nothing-here'];
    const hits = (q: string) => (answerSearch(2, built, targets, { q, motivation: null, page: 1, min: null, ignored: [] }, 50) as { items: unknown[] }).items.length;
    expect(queries.map(hits).filter((n) => n > 0).length).toBeGreaterThanOrEqual(6);
    for (const q of queries) {
      // A fresh decoding each time: every answer reads the units it needs for itself.
      for (const version of [1, 2] as const) {
        const params = { q, motivation: null, page: 1, min: null, ignored: [] };
        const fromFile = answerSearch(version, decodeSearchIndex(encodeSearchIndex(built))!, targets, params, 50);
        expect(fromFile, `${q} (${version})`).toEqual(answerSearch(version, built, targets, params, 50));
      }
      const endpoint = { search: targets.service, autocomplete: `${targets.service}/autocomplete`, canvas: targets.canvas };
      const params = { q: q.slice(0, 4), motivation: null, page: 1, min: null, ignored: [] };
      expect(answerAutocomplete(2, decodeSearchIndex(encodeSearchIndex(built))!, endpoint, params)).toEqual(
        answerAutocomplete(2, built, endpoint, params),
      );
    }
  });

  it('finds each list in place, then, looked up often, from the parsed section, with the same answers', () => {
    const built = buildSearchIndex(cable);
    const decoded = decodeSearchIndex(encodeSearchIndex(built))!;
    const keys = [...built.postings.keys()];
    // The cable has more keys than the lookups made before a section is parsed whole.
    expect(keys.length).toBeGreaterThan(300);
    for (let round = 0; round < 2; round++) {
      for (const key of keys) expect(decoded.postings.get(key)).toEqual(built.postings.get(key));
    }
  });

  it('finds keys and lists holding quotes, backslashes and brackets', () => {
    const odd = ['en|a"b', 'en|c\\d', 'en|[e]', 'en|f",[1]'];
    const built: BuiltSearchIndex = {
      version: 'odd',
      leaves: [],
      postings: new Map(odd.map((k, i) => [k, [i, i, i]])),
      latinWords: new Map(odd.map((k) => [k, [k, ']"[', 'x']])),
      latinStems: new Map(),
      vocabulary: [],
      latinVocabulary: [],
    };
    expectSameIndex(decodeSearchIndex(encodeSearchIndex(built)), built);
  });

  it('keeps token numbers exactly: whole ones as 32-bit integers, boxes with fractions and larger numbers as doubles', () => {
    const token = (start: number, box: { x: number; y: number; w: number; h: number } | null) => ({
      keys: ['слово'],
      surface: 'слово',
      start,
      end: start + 5,
      parts: [{ start, end: start + 5, box }],
      lines: [0],
    });
    const unit = (ref: string, tokens: ReturnType<typeof token>[]) => ({ layer: 'ru' as const, language: 'ru', text: 'слово слово', tokens, region: null, ref });
    const built: BuiltSearchIndex = {
      version: 'numbers',
      leaves: [
        {
          id: 'l1',
          page: { width: 2480, height: 3508 },
          units: [
            unit('whole', [token(0, { x: 10, y: 20, w: 30, h: 40 }), token(6, null)]),
            unit('fractions', [token(0, { x: 10.25, y: 20.5, w: 30.125, h: 40.75 }), token(6, { x: -3, y: 0, w: 1, h: 1 })]),
            unit('large', [token(0, { x: 2 ** 31, y: -(2 ** 31) - 1, w: 1e15, h: 1 })]),
          ],
        },
      ],
      postings: new Map([['ru|слов', [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 2, 0]]]),
      latinWords: new Map(),
      latinStems: new Map(),
      vocabulary: [],
      latinVocabulary: [],
    };
    const decoded = decodeSearchIndex(encodeSearchIndex(built));
    expectSameIndex(decoded, built);
    expect(decoded!.leaves[0]!.units[1]!.tokens.at(0)!.parts[0]!.box).toEqual({ x: 10.25, y: 20.5, w: 30.125, h: 40.75 });
    expect(decoded!.leaves[0]!.units[2]!.tokens.at(-1)!.parts[0]!.box).toEqual({ x: 2 ** 31, y: -(2 ** 31) - 1, w: 1e15, h: 1 });
    expect(decoded!.leaves[0]!.units[0]!.tokens.at(2)).toBeUndefined();
    expect(decoded!.leaves[0]!.units[0]!.tokens.slice(1).map((t) => t.start)).toEqual([6]);
  });

  it('is small enough for 200 cable-sized documents in the default 24 MiB, beside the built ones', () => {
    const bytes = encodeSearchIndex(buildSearchIndex(cable)).length;
    expect(bytes).toBeLessThan(80 * 1024);
    expect(200 * bytes).toBeLessThan(0.75 * 24 * 1024 * 1024);
  });

  it('reads nothing from bytes that are not an index', () => {
    expect(decodeSearchIndex(Buffer.from('not gzip'))).toBeUndefined();
    expect(decodeSearchIndex(Buffer.alloc(0))).toBeUndefined();
    // A damaged byte in a part is refused by the CRC, unless these bytes were checked before.
    const bytes = encodeSearchIndex(buildSearchIndex(cable));
    bytes[bytes.length - 20]! ^= 0xff;
    expect(decodeSearchIndex(bytes)).toBeUndefined();
    expect(decodeSearchIndex(bytes, true)).toBeDefined();
  });

  it('names a file by document, stamp of the data and analyzer', () => {
    const a = indexFilePath(dir, 'doc-a', 'v1');
    expect(a).toBe(indexFilePath(dir, 'doc-a', 'v1'));
    expect(a).not.toBe(indexFilePath(dir, 'doc-a', 'v2'));
    expect(a).not.toBe(indexFilePath(dir, 'doc-b', 'v1'));
    expect(path.relative(dir, a)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{40}\.index$/);
  });
});

describe('the index cache with a folder', () => {
  it('writes each built index once, and another cache reads it back rather than building', async () => {
    const doc = withVersion(cable, 'cable-a', 'version-a');
    const first = new SearchIndexCache(24 * 1024 * 1024, { dir });
    await indexOf(first, doc);
    expect(first.builds).toBe(1);
    const built = buildSearchIndex(doc);
    const file = indexFilePath(dir, doc.id, doc.version);
    expect((await stat(file)).size).toBe(encodeSearchIndex(built).length);
    expect((await readdir(path.dirname(file))).filter((n) => n.includes('.tmp'))).toEqual([]);

    const second = new SearchIndexCache(24 * 1024 * 1024, { dir });
    expectSameIndex(await indexOf(second, doc), built);
    expect(second.builds).toBe(0);
  });

  it('serves what the file holds (so it is read), and rebuilds over a damaged file', async () => {
    const doc = withVersion(cable, 'cable-b', 'version-b');
    const file = indexFilePath(dir, doc.id, doc.version);
    await indexOf(new SearchIndexCache(24 * 1024 * 1024, { dir }), doc);
    // A file holding another index under this name is taken as it is: the name is the key.
    const other = buildSearchIndex(withVersion(fixtureDocument(), doc.id, doc.version));
    await writeFile(file, encodeSearchIndex(other));
    expectSameIndex(await indexOf(new SearchIndexCache(24 * 1024 * 1024, { dir }), doc), other);

    await writeFile(file, 'truncated');
    const cache = new SearchIndexCache(24 * 1024 * 1024, { dir });
    expectSameIndex(await indexOf(cache, doc), buildSearchIndex(doc));
    expect(cache.builds).toBe(1);
    expectSameIndex(decodeSearchIndex(await readFile(file)), buildSearchIndex(doc));
  });

  it('builds anew when the stamp of the data changes', async () => {
    const cache = new SearchIndexCache(24 * 1024 * 1024, { dir });
    const before = await indexOf(cache, withVersion(fixtureDocument(), 'changing', 'one'));
    const after = await indexOf(cache, withVersion(fixtureDocument(), 'changing', 'two'));
    expect([before.version, after.version]).toEqual(['one', 'two']);
    expect(cache.builds).toBe(2);
  });

  it('builds an index once when many ask for it at the same time', async () => {
    const cache = new SearchIndexCache(24 * 1024 * 1024, { dir });
    const doc = withVersion(fixtureDocument(), 'together', 'one');
    const all = await Promise.all(Array.from({ length: 8 }, () => indexOf(cache, doc)));
    expect(new Set(all).size).toBe(1);
    expect(cache.builds).toBe(1);
  });

  it('keeps within its bytes, decoding evicted built indexes from memory rather than rebuilding', async () => {
    const docs = Array.from({ length: 30 }, (_, i) => withVersion(fixtureDocument(), `walk-${i}`, 'one'));
    const encoded = encodeSearchIndex(buildSearchIndex(docs[0]!)).length;
    // Room for every encoded index, and for few built ones.
    const maxBytes = 4 * 32 * encoded;
    const cache = new SearchIndexCache(maxBytes);
    for (let round = 0; round < 3; round++) {
      for (const doc of docs) {
        expect((await indexOf(cache, doc)).leaves.length).toBe(docs[0]!.leaves.length);
        expect(cache.heldBytes).toBeLessThanOrEqual(maxBytes);
      }
    }
    expect(cache.builds).toBe(docs.length);
  });
});

describe('answers from a read-back index', () => {
  let fresh: Listening;
  let readBack: Listening;
  const serve = (indexDir?: string) => {
    const app = express();
    app.set('etag', false);
    app.use(
      searchRouter({
        // One base for both services, so their answers can be compared byte for byte.
        config: { publicBaseUrl: 'https://iiif.example.org/cable', trustProxy: false },
        documents: (id) => (id === cable.id ? cable : undefined),
        ...(indexDir !== undefined && { indexDir }),
      }),
    );
    app.use(notFound);
    app.use(errorHandler);
    return listen(app);
  };

  beforeAll(async () => {
    const indexDir = path.join(dir, 'served');
    const writer = await serve(indexDir);
    await fetch(`${writer.url}/iiif/search/2/${cable.id}?q=a`);
    await writer.close();
    expect(await readdir(indexDir)).toHaveLength(1); // the index file the second service reads
    fresh = await serve();
    readBack = await serve(indexDir);
  });
  afterAll(async () => {
    await fresh.close();
    await readBack.close();
  });

  it('are byte for byte those of a freshly built index', async () => {
    const paths = [
      ['2', 'переговоры'],
      ['2', '"38 параллели"'],
      ['2', 'peregovory'],
      ['2', 'negotiations'],
      ['2', 'иностранных войск'],
      ['1', 'Kaesong'],
      ['1', 'мао цзэдун'],
      ['2/autocomplete', 'пере'],
      ['1/autocomplete', 'kor'],
    ].map(([api, q]) => {
      const [version, auto] = api!.split('/');
      return `/iiif/search/${version}/${cable.id}${auto ? '/autocomplete' : ''}?q=${encodeURIComponent(q!)}`;
    });
    for (const p of paths) {
      const [a, b] = await Promise.all([fetch(`${fresh.url}${p}`), fetch(`${readBack.url}${p}`)]);
      expect(a.status).toBe(200);
      expect(await b.text()).toBe(await a.text());
    }
  });
});
