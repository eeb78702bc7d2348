import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer, serverDist } from '../../scripts/build-server.js';
import { checkDocuments, type CheckOptions } from '../../src/catalog/check-documents.js';
import type { FolderChecker } from '../../src/catalog/check-folder.js';
import { CheckPool } from '../../src/catalog/check-pool.js';
import { loadConfig } from '../../src/config.js';
import { createImageBackend } from '../../src/image/backend.js';
import { searchManifestServices } from '../../src/search/services.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

const logger = pino({ level: 'silent' });
const base = 'https://iiif.example.org';

let corpus: TestCorpus;
beforeEach(async () => {
  corpus = await testCorpus(5);
  await breakAlto(corpus, 'doc-002');
});
afterEach(async () => {
  await corpus.remove();
});

/** The check as `npm run check` makes it, into a CACHE_DIR of its own, in this thread or in `threads` worker threads. */
async function check(cacheName: string, threads: number, worker = path.join(serverDist, 'check-worker.js')) {
  const config = loadConfig({ MANIFESTS_DIR: corpus.manifestsDir, IMAGES_DIR: corpus.imagesDir, CACHE_DIR: path.join(corpus.root, cacheName), LOG_LEVEL: 'silent' });
  const images = createImageBackend({ ...config, ingestOnStart: false }, logger);
  const pool = threads > 1 ? new CheckPool(threads, worker, { config, base }) : null;
  let inWorkers = 0;
  const checkers: CheckOptions['checkers'] = pool
    ? {
        concurrency: pool.checkers.concurrency,
        make: (listed) => {
          const checkFolder: FolderChecker = pool.checkers.make(listed);
          return (id, folder) => (inWorkers++, checkFolder(id, folder));
        },
      }
    : undefined;
  try {
    const result = await checkDocuments({
      manifestsDir: config.manifestsDir,
      base,
      images,
      imageConfig: config,
      services: searchManifestServices,
      cacheDir: config.cacheDir,
      logger,
      previous: null,
      ...(checkers && { checkers }),
    });
    return { result, inWorkers, kept: await keptFiles(config.cacheDir) };
  } finally {
    await pool?.close();
    await images.close();
  }
}

/** Every build and search index kept, by path under CACHE_DIR, with its bytes. */
async function keptFiles(cacheDir: string): Promise<Map<string, string>> {
  const names = (await readdir(cacheDir, { recursive: true })).filter((f) => /\.(gz|index)$/.test(f)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, (await readFile(path.join(cacheDir, name))).toString('base64')] as const)));
}

describe('npm run check in worker threads (CheckPool)', () => {
  it('checks each changed folder in a worker, with the entries, problems and kept files of a check in one thread', async () => {
    await buildServer();
    const [alone, pooled] = [await check('alone', 1), await check('pooled', 2)];
    expect(pooled.inWorkers).toBe(5);
    expect(pooled.result.problems).toEqual(alone.result.problems);
    expect(pooled.result.problems).toHaveLength(1);
    expect(pooled.result.problems[0]).toMatch(/doc-002.*l044\.alto\.xml/);
    expect(pooled.result.entries).toEqual(alone.result.entries);
    expect(pooled.result.entries.filter((e) => e.checked !== null).map((e) => e.id)).toEqual(['doc-000', 'doc-001', 'doc-003', 'doc-004']);
    expect(pooled.kept.size).toBe(8); // a build and a search index per document that passed
    expect(pooled.kept).toEqual(alone.kept);
  });

  it('fails the check, without ending the process, when its threads cannot start', async () => {
    await expect(check('broken', 2, path.join(corpus.root, 'no-such-worker.js'))).rejects.toThrow(/no-such-worker/);
  });
});
