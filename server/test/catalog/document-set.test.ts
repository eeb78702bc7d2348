import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CatalogDocumentSet, documentBytes } from '../../src/catalog/document-set.js';
import { scanCatalog } from '../../src/catalog/scan-folders.js';
import { DocumentUnavailableError } from '../../src/errors.js';
import { buildSearchIndex } from '../../src/search/build-index.js';
import { SearchIndexCache, searchIndexBytes } from '../../src/search/index-cache.js';
import { memoryLogger } from '../http/listen.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

let corpus: TestCorpus;
beforeAll(async () => {
  corpus = await testCorpus(12);
});
afterAll(async () => {
  await corpus.remove();
});

async function openSet(options: { maxBytes?: number; recheckMs?: number } = {}) {
  const { logger, lines } = memoryLogger('info');
  const { entries } = await scanCatalog(corpus.manifestsDir, null);
  const set = new CatalogDocumentSet({ manifestsDir: corpus.manifestsDir, entries, maxBytes: options.maxBytes ?? 64 * 1024 * 1024, recheckMs: options.recheckMs ?? 0, logger });
  return { set, lines };
}

/** A reproducible sequence of document indexes. */
function* randomWalk(steps: number, size: number, seed = 7): Generator<number> {
  let x = seed;
  for (let i = 0; i < steps; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield (x >>> 8) % size;
  }
}

describe('the document set', () => {
  it('loads nothing until a document is asked for, then loads it once', async () => {
    const { set } = await openSet({ recheckMs: 60_000 });
    expect(set.entries()).toHaveLength(12);
    expect(set.loads).toBe(0);
    const doc = await set.load('doc-003');
    expect(doc?.leaves.map((l) => l.image)).toEqual(set.entry('doc-003')!.leaves.map((l) => l.image));
    expect(await set.load('doc-003')).toBe(doc);
    expect(set.loads).toBe(1);
    expect(await set.load('no-such-document')).toBeUndefined();
    expect(await set.load('../manifests')).toBeUndefined();
    expect(set.imageOwner('doc-003-rgaspi-f558-op11-d340-l044')?.leaf.id).toBe('l44');
  });

  it('holds what entries repeat once: the hierarchy of a delo, the labels of leaves', async () => {
    const { set } = await openSet();
    const [a, b] = [set.entry('doc-000')!, set.entry('doc-001')!];
    expect(a.hierarchy).toBe(b.hierarchy);
    expect(a.leaves.map((l) => l.label)).toEqual(b.leaves.map((l) => l.label));
    a.leaves.forEach((leaf, i) => expect(leaf.label).toBe(b.leaves[i]!.label));
    expect(a.leaves[0]!.label).not.toBe(a.leaves[1]!.label);
  });

  it('serves a changed folder as it now is, without a restart', async () => {
    const { set } = await openSet();
    const before = await set.load('doc-004');
    const file = path.join(corpus.dir('doc-004'), 'l043.en.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as { paragraphs: { text: string }[] };
    json.paragraphs[0]!.text = 'A corrected translation.';
    await rm(file);
    await writeFile(file, JSON.stringify(json));
    const after = await set.load('doc-004');
    expect(after!.version).not.toBe(before!.version);
    expect(after!.leaves[0]!.translation!.paragraphs[0]!.text).toBe('A corrected translation.');
  });

  it('stamps a folder in use at once, looking again ahead from half the period, and never from a look older than the period', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { set } = await openSet({ recheckMs: 1000 });
      const file = path.join(corpus.dir('doc-006'), 'l043.en.json');
      // The corpus links the committed files: a copy of its own is changed, never the original.
      const text = await readFile(file, 'utf8');
      await rm(file);
      await writeFile(file, text);
      const first = await set.stamp('doc-006');

      // Changed; 0.6 s after the look, within the period: answered at once, and looked at behind it.
      await appendFile(file, '\n');
      vi.setSystemTime(Date.now() + 600);
      expect(await set.stamp('doc-006')).toBe(first);
      await vi.waitFor(async () => expect(await set.stamp('doc-006')).not.toBe(first));
      const second = await set.stamp('doc-006');

      // Changed again, and the last look is past the period: the request waits for a new one.
      await appendFile(file, '\n');
      vi.setSystemTime(Date.now() + 1500);
      const third = await set.stamp('doc-006');
      expect([third === second, third === first]).toEqual([false, false]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a bad document with a 500 naming the file and field, logged once; the others load; fixed, it loads', async () => {
    const { set, lines } = await openSet();
    const alto = path.join(corpus.dir('doc-005'), 'l044.alto.xml');
    const good = await readFile(alto);
    await breakAlto(corpus, 'doc-005');
    for (let i = 0; i < 3; i++) {
      const failed = await set.load('doc-005').then(() => null, (err: unknown) => err);
      expect(failed).toBeInstanceOf(DocumentUnavailableError);
      expect((failed as DocumentUnavailableError).status).toBe(500);
      expect((failed as Error).message).toMatch(/^Invalid document data in manifests\/doc-005\/l044\.alto\.xml at TextLine\[ID="l44-b1-l1"\]\/@HPOS: /);
    }
    expect(lines.filter((l) => String(l.msg).includes('doc-005/l044.alto.xml'))).toHaveLength(1);
    expect(await set.load('doc-006')).toBeDefined();
    await rm(alto);
    await writeFile(alto, good);
    expect((await set.load('doc-005'))?.id).toBe('doc-005');
  });

  it('keeps loaded documents within its bytes under a random walk, and a document loaded again is the same', async () => {
    const probe = await openSet();
    const one = documentBytes((await probe.set.load('doc-000'))!);
    const maxBytes = Math.floor(3.5 * one);
    const { set } = await openSet({ maxBytes, recheckMs: 60_000 });
    const versions = new Map<string, string>();
    for (const i of randomWalk(60, 12)) {
      const id = corpus.ids[i]!;
      if (id === 'doc-004' || id === 'doc-005') continue;
      const doc = (await set.load(id))!;
      expect(set.heldBytes).toBeLessThanOrEqual(maxBytes);
      expect(versions.get(id) ?? doc.version).toBe(doc.version);
      versions.set(id, doc.version);
    }
    expect(set.loads).toBeGreaterThan(versions.size); // evicted and loaded again
  });
});

describe('the search index cache', () => {
  it('keeps indexes within its bytes under a random walk, rebuilding an evicted one identically', async () => {
    const { set } = await openSet({ recheckMs: 60_000 });
    const docs = await Promise.all(['doc-007', 'doc-008', 'doc-009', 'doc-010', 'doc-011'].map(async (id) => (await set.load(id))!));
    const one = searchIndexBytes(buildSearchIndex(docs[0]!));
    const maxBytes = Math.floor(2.5 * one);
    const cache = new SearchIndexCache(maxBytes);
    const first = new Map<string, string>();
    for (const i of randomWalk(40, docs.length, 3)) {
      const index = (await cache.load(docs[i]!.id, docs[i]!.version, async () => docs[i]))!;
      expect(cache.heldBytes).toBeLessThanOrEqual(maxBytes);
      const shape = JSON.stringify([index.version, index.postings.get('ru|переговор'), index.vocabulary]);
      expect(first.get(docs[i]!.id) ?? shape).toBe(shape);
      first.set(docs[i]!.id, shape);
    }
  });
});
