import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/catalog-file.js';
import { projectRoot } from '../../src/config.js';
import { breakAlto, testCorpus, type TestCorpus } from './corpus.js';

let corpus: TestCorpus;
beforeAll(async () => {
  corpus = await testCorpus(3);
  await breakAlto(corpus, 'doc-002', 'l045.alto.xml');
});
afterAll(async () => {
  await corpus.remove();
});

describe('npm run check', () => {
  it('exits 1 with one line per problem naming the file and field, and writes the catalog of what passed', async () => {
    const cacheDir = path.join(corpus.root, 'cache');
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join('server', 'scripts', 'check.ts')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', MANIFESTS_DIR: corpus.manifestsDir, IMAGES_DIR: corpus.imagesDir, CACHE_DIR: cacheDir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid document data in manifests\/doc-002\/l045\.alto\.xml at TextLine\[ID="[^"]+"\]\/@HPOS: /)]);
    expect(run.stdout).toMatch(/^documents: 3 \(3 checked, 0 unchanged since checked, 1 problems\)/);
    const entries = await readCatalog(cacheDir, corpus.manifestsDir);
    expect(entries?.map((e) => [e.id, typeof e.checked])).toEqual([['doc-000', 'string'], ['doc-001', 'string'], ['doc-002', 'object']]);
  }, 60_000);
});
