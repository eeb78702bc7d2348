import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Piscina } from 'piscina';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkAndWriteCatalog } from '../../scripts/check.js';
import { CheckPool } from '../../src/catalog/check-pool.js';
import { loadConfig } from '../../src/config.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

let corpus: TestCorpus;
beforeEach(async () => {
  corpus = await testCorpus(5);
  await breakAlto(corpus, 'doc-002');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await corpus.remove();
});

const configFor = (cacheName: string) =>
  loadConfig({ MANIFESTS_DIR: corpus.manifestsDir, IMAGES_DIR: corpus.imagesDir, CACHE_DIR: path.join(corpus.root, cacheName), LOG_LEVEL: 'silent' });

/** Every build and search index kept, by path under CACHE_DIR, with its bytes. */
async function keptFiles(cacheDir: string): Promise<Map<string, string>> {
  const names = (await readdir(cacheDir, { recursive: true })).filter((f) => /\.(gz|index)$/.test(f)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, (await readFile(path.join(cacheDir, name))).toString('base64')] as const)));
}

describe('npm run check in worker threads (--jobs)', () => {
  it('checks each changed folder in a worker, with the entries, problems and kept files of a check in one thread', async () => {
    // Each task given to a worker thread, counted on its way in (and run as it would be).
    const tasks = vi.spyOn(Piscina.prototype, 'run');
    const alone = await checkAndWriteCatalog(configFor('alone'), false, false, 1);
    expect(tasks).not.toHaveBeenCalled();
    const pooled = await checkAndWriteCatalog(configFor('pooled'), false, false, 2);
    expect(tasks).toHaveBeenCalledTimes(5);

    expect(pooled.problems).toEqual(alone.problems);
    expect(pooled.problems).toHaveLength(1);
    expect(pooled.problems[0]).toMatch(/doc-002.*l044\.alto\.xml/);
    expect(pooled.entries).toEqual(alone.entries);
    expect(pooled.entries.filter((e) => e.checked !== null).map((e) => e.id)).toEqual(['doc-000', 'doc-001', 'doc-003', 'doc-004']);
    const kept = await keptFiles(configFor('pooled').cacheDir);
    expect(kept.size).toBe(8); // a build and a search index per document that passed
    expect(kept).toEqual(await keptFiles(configFor('alone').cacheDir));
  }, 60_000);

  it('refuses to start threads without their module, which would leave the check waiting forever', () => {
    const missing = path.join(corpus.root, 'no-such-worker.js');
    const pool = new CheckPool(2, missing, { config: configFor('broken'), base: 'https://iiif.example.org' });
    expect(() => pool.checkers.make([])).toThrow(/no-such-worker\.js does not exist/);
  });
});
