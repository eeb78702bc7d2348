import { cp, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { documentModified } from '../../src/discovery/resources.js';
import { loadDocument } from '../../src/document/load-document.js';
import type { SourceInfo } from '../../src/image/types.js';

let dir: string;
let root: string;
const t = (iso: string) => new Date(iso);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'modified-'));
  dir = path.join(root, 'rgaspi-f558-op11-d340-l43-45');
  await cp(path.join(projectRoot, 'manifests', 'rgaspi-f558-op11-d340-l43-45'), dir, { recursive: true });
  for (const file of await readdir(dir)) await utimes(path.join(dir, file), t('2020-01-01T00:00:00Z'), t('2020-01-01T00:00:00Z'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('when a document last changed', () => {
  it('is the newest modification time of the data files it was loaded from', async () => {
    await utimes(path.join(dir, 'l044.en.json'), t('2021-06-01T12:00:00Z'), t('2021-06-01T12:00:00Z'));
    // Not a file the document is loaded from.
    await utimes(path.join(dir, 'source'), t('2030-01-01T00:00:00Z'), t('2030-01-01T00:00:00Z'));
    expect((await loadDocument(dir)).modified).toEqual(t('2021-06-01T12:00:00Z'));
  });

  it('is later when one of its page images is newer than its data', async () => {
    const doc = await loadDocument(dir);
    const images = {
      source: async (id: string): Promise<SourceInfo> => ({
        id,
        width: 1,
        height: 1,
        key: id,
        modified: id.endsWith('l045') ? t('2022-02-02T02:02:02Z') : t('2019-01-01T00:00:00Z'),
      }),
    };
    expect(await documentModified(doc, images)).toEqual(t('2022-02-02T02:02:02Z'));
    expect(await documentModified(doc)).toEqual(doc.modified);
  });
});
