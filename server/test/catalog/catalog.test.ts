import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { catalogFile, readCatalog, writeCatalog } from '../../src/catalog/catalog-file.js';
import { checkDocuments } from '../../src/catalog/check-documents.js';
import { heapWarning, openCatalog } from '../../src/catalog/open-catalog.js';
import { refreshCatalog, scanCatalog } from '../../src/catalog/scan-folders.js';
import { imageConfig } from '../presentation/fixture-document.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

const logger = pino({ level: 'silent' });
/** Canvas sizes without reading the images: what checking needs of the image service. */
const images = { source: async (id: string) => ({ id, width: 1000, height: 1400, key: id, modified: new Date(0) }) };

let corpus: TestCorpus;
beforeEach(async () => {
  corpus = await testCorpus(4);
});
afterEach(async () => {
  await corpus.remove();
});

const check = (previous: Awaited<ReturnType<typeof readCatalog>>) =>
  checkDocuments({ manifestsDir: corpus.manifestsDir, base: 'https://iiif.example.org', images, imageConfig, logger, previous });

describe('the catalog built from the folders', () => {
  it('lists every document folder from its record.json alone, unchecked, with its hierarchy, title and leaves', async () => {
    const { entries, changed } = await scanCatalog(corpus.manifestsDir, null);
    expect(changed).toBe(true);
    expect(entries.map((e) => e.id)).toEqual(corpus.ids);
    const [first] = entries;
    expect(first).toMatchObject({ id: 'doc-000', checked: null, title: { en: ['Document doc-000'] }, date: '1951-07-13' });
    expect(first!.hierarchy.map((u) => u.id)).toEqual(['rgaspi-f558', 'rgaspi-f558-op11', 'rgaspi-f558-op11-d1000']);
    expect(first!.leaves.map((l) => l.image)).toEqual(['doc-000-rgaspi-f558-op11-d340-l043', 'doc-000-rgaspi-f558-op11-d340-l044', 'doc-000-rgaspi-f558-op11-d340-l045']);
    expect(first!.fingerprint).toMatch(/^[\w-]{22}$/);
  });

  it('takes a listed folder from the catalog as it is, reads an added one and drops a removed one', async () => {
    const { entries: before } = await scanCatalog(corpus.manifestsDir, null);
    const stale = { ...before[0]!, title: { en: ['As the catalog says'] } };
    await corpus.add('doc-new');
    await rm(corpus.dir('doc-001'), { recursive: true });
    const { entries, changed } = await scanCatalog(corpus.manifestsDir, [stale, ...before.slice(1)]);
    expect(changed).toBe(true);
    expect(entries.map((e) => e.id)).toEqual(['doc-000', 'doc-002', 'doc-003', 'doc-new']);
    // Not read at start-up: a change to a listed folder is noticed when the document is asked for.
    expect(entries[0]!.title).toEqual({ en: ['As the catalog says'] });
    expect(entries[3]!.title).toEqual({ en: ['Document doc-new'], ru: ['Документ doc-new'] });
    expect((await scanCatalog(corpus.manifestsDir, entries)).changed).toBe(false);
  });

  it('when refreshed, re-reads exactly the folders that changed, which lose their check', async () => {
    const checked = (await check(null)).entries;
    expect(checked.every((e) => e.checked)).toBe(true);
    const record = path.join(corpus.dir('doc-002'), 'record.json');
    const data = JSON.parse(await readFile(record, 'utf8')) as { title: unknown };
    await rm(record);
    await writeFile(record, JSON.stringify({ ...data, title: { en: ['Renamed'] } }));
    await utimes(record, new Date(), new Date(Date.now() + 5000));
    const refreshed = await refreshCatalog(corpus.manifestsDir, checked);
    expect(refreshed.map((e) => [e.id, e.checked !== null])).toEqual([['doc-000', true], ['doc-001', true], ['doc-002', false], ['doc-003', true]]);
    expect(refreshed[2]!.title).toEqual({ en: ['Renamed'] });
    expect(refreshed[0]).toBe(checked[0]);
  });

  it('lists a folder whose record.json is broken with its problem, naming the file and field', async () => {
    await writeFile(path.join(corpus.dir('doc-003'), 'record.json'), '{"title": 1}');
    const { entries } = await scanCatalog(corpus.manifestsDir, null);
    expect(entries[3]!.problem).toMatch(/^Invalid document data in manifests\/doc-003\/record\.json at \//);
  });
});

describe('the catalog file', () => {
  it('is written atomically into CACHE_DIR/catalog/ and read back; anything unusable reads as no catalog', async () => {
    const cacheDir = path.join(corpus.root, 'cache');
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toBeNull();
    const { entries } = await scanCatalog(corpus.manifestsDir, null);
    expect(await writeCatalog(cacheDir, corpus.manifestsDir, entries, logger)).toBe(true);
    expect(await readdir(path.join(cacheDir, 'catalog'))).toEqual([path.basename(catalogFile(cacheDir, corpus.manifestsDir))]);
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toEqual(entries);
    // Another manifests folder has its own catalog.
    expect(await readCatalog(cacheDir, path.join(corpus.root, 'other'))).toBeNull();
    const file = catalogFile(cacheDir, corpus.manifestsDir);
    const whole = await readFile(file, 'utf8');
    await writeFile(file, whole.slice(0, whole.length / 2));
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toBeNull();
    // Cut at the end of a line: every line left reads, but the header counts the entries.
    const lines = whole.split('\n');
    await writeFile(file, `${lines.slice(0, 3).join('\n')}\n`);
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toBeNull();
    await writeFile(file, [JSON.stringify({ ...JSON.parse(lines[0]!), format: 0 }), ...lines.slice(1)].join('\n'));
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toBeNull();
    expect(await writeCatalog(cacheDir, corpus.manifestsDir, [], logger)).toBe(true);
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toEqual([]);
  });

  it('reads a catalog of the earlier layout, which the next start-up writes anew', async () => {
    const cacheDir = path.join(corpus.root, 'cache-earlier');
    const { entries } = await scanCatalog(corpus.manifestsDir, null);
    const checked = entries.map((e, i) => ({ ...e, checked: i === 1 ? e.checked : 'passed-version' }));
    const earlier = catalogFile(cacheDir, corpus.manifestsDir).replace(/\.jsonl$/, '.json');
    await mkdir(path.dirname(earlier), { recursive: true });
    await writeFile(earlier, JSON.stringify({ format: 1, manifestsDir: path.resolve(corpus.manifestsDir), written: '', entries: checked }));
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toEqual(checked);

    const set = await openCatalog({ manifestsDir: corpus.manifestsDir, cacheDir, documentCacheBytes: 1 << 20, documentRecheckMs: 0 }, logger);
    expect(set.entries().map((e) => e.checked)).toEqual(checked.map((e) => e.checked));
    expect(await readdir(path.dirname(earlier))).toEqual([path.basename(catalogFile(cacheDir, corpus.manifestsDir))]);
    expect(await readCatalog(cacheDir, corpus.manifestsDir)).toEqual(checked);
  });

  it('reads entries holding one hierarchy and one label object for what they repeat', async () => {
    const cacheDir = path.join(corpus.root, 'cache-shared');
    const { entries } = await scanCatalog(corpus.manifestsDir, null);
    await writeCatalog(cacheDir, corpus.manifestsDir, entries, logger);
    const [a, b] = (await readCatalog(cacheDir, corpus.manifestsDir))!;
    expect(a!.hierarchy).toEqual(b!.hierarchy);
    expect(a!.hierarchy).toBe(b!.hierarchy);
    expect(a!.leaves[0]!.label).toBe(b!.leaves[0]!.label);
  });

  it('cannot be written to a CACHE_DIR that is a file: the service goes on without it', async () => {
    const cacheDir = path.join(corpus.root, 'a-file');
    await writeFile(cacheDir, 'not a folder');
    expect(await writeCatalog(cacheDir, corpus.manifestsDir, [], logger)).toBe(false);
  });
});

describe('checking the documents (npm run check)', () => {
  it('records the data version that passed, names the file and field of a bad one, and does not check an unchanged folder again', async () => {
    await breakAlto(corpus, 'doc-001');
    const first = await check(null);
    expect(first.checked).toBe(4);
    expect(first.problems).toEqual([expect.stringMatching(/^Invalid document data in manifests\/doc-001\/l044\.alto\.xml at TextLine\[ID="l44-b1-l1"\]\/@HPOS: /)]);
    expect(first.entries.map((e) => [e.id, e.checked === null ? null : 'checked'])).toEqual([
      ['doc-000', 'checked'],
      ['doc-001', null],
      ['doc-002', 'checked'],
      ['doc-003', 'checked'],
    ]);
    const again = await check(first.entries);
    expect([again.checked, again.skipped, again.problems.length]).toEqual([1, 3, 1]);
  });

  it('checks every folder again when the files it keeps were made for another base URL or by another version', async () => {
    const cacheDir = path.join(corpus.root, 'cache');
    const keeping = (base: string, previous: Awaited<ReturnType<typeof readCatalog>>) =>
      checkDocuments({ manifestsDir: corpus.manifestsDir, base, images, imageConfig, logger, previous, cacheDir });
    const first = await keeping('https://iiif.example.org', null);
    expect(first.checked).toBe(4);
    expect((await keeping('https://iiif.example.org', first.entries)).checked).toBe(0);
    // Another base URL: the kept manifests would name the wrong host.
    const moved = await keeping('https://archive.example.org', first.entries);
    expect([moved.checked, moved.skipped]).toEqual([4, 0]);
    // Kept files from an older version of the builders or the analyzer: made again.
    const marker = catalogFile(cacheDir, corpus.manifestsDir).replace(/\.jsonl$/, '.kept.json');
    await writeFile(marker, (await readFile(marker, 'utf8')).replace(/"publication":\d+/, '"publication":0'));
    expect((await keeping('https://archive.example.org', moved.entries)).checked).toBe(4);
    expect((await keeping('https://archive.example.org', moved.entries)).checked).toBe(0);
    // Made by an older search analysis alone (whose indexes the new one does not read): the
    // data passed as it is, and only the indexes are made again.
    await writeFile(marker, (await readFile(marker, 'utf8')).replace(/"analyzer":"[^"]*"/, '"analyzer":"older"'));
    await rm(path.join(cacheDir, 'search'), { recursive: true });
    const reindexing = await keeping('https://archive.example.org', moved.entries);
    expect([reindexing.checked, reindexing.skipped, reindexing.reindexed]).toEqual([0, 4, 4]);
    expect((await readdir(path.join(cacheDir, 'search'), { recursive: true })).filter((f) => f.endsWith('.index'))).toHaveLength(4);
    const after = await keeping('https://archive.example.org', moved.entries);
    expect([after.checked, after.skipped, after.reindexed]).toEqual([0, 4, 0]);
  });

  it('prunes the kept files no document is served from any more, and only those', async () => {
    const cacheDir = path.join(corpus.root, 'cache');
    const keeping = (previous: Awaited<ReturnType<typeof readCatalog>>, prune = false) =>
      checkDocuments({ manifestsDir: corpus.manifestsDir, base: 'https://iiif.example.org', images, imageConfig, logger, previous, cacheDir, prune });
    const kept = async () => (await readdir(cacheDir, { recursive: true })).filter((f) => /\.(gz|index)$/.test(f)).sort();
    const first = await keeping(null);
    const before = await kept();
    expect(before).toHaveLength(8); // a build and a search index per document
    // doc-002's translation is corrected: its build is made anew in the same file, its search
    // index in a new one (named by the data), and the old index is left over.
    const file = path.join(corpus.dir('doc-002'), 'l043.en.json');
    const json = (await readFile(file, 'utf8')).replace('"text": "', '"text": "Corrected. ');
    await rm(file);
    await writeFile(file, json);
    const second = await keeping(first.entries, true);
    expect(second.checked).toBe(1);
    expect(second.pruned?.files).toBe(1);
    const after = await kept();
    expect(after).toHaveLength(8);
    expect(after.filter((f) => before.includes(f))).toHaveLength(7);
    expect((await keeping(second.entries, true)).pruned?.files).toBe(0);
  });

  it('warns at start-up when the catalog would crowd the heap limit npm start sets, naming the flag to raise', () => {
    const mib = 1024 * 1024;
    expect(heapWarning(10_000, 24 * mib, 512 * mib)).toBeNull();
    expect(heapWarning(300_000, 24 * mib, 512 * mib)).toMatch(/^the JS heap limit \(512 MiB\) is tight for 300000 documents: start node with --max-old-space-size=\d+ or more$/);
  });
});
