import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoadedDocumentSet, type DocumentSet } from '../../src/catalog/document-set.js';
import type { SourceInfo } from '../../src/image/types.js';
import { PUBLICATION_VERSION, PublicationStore } from '../../src/presentation/publication-store.js';
import { pageOfDocument } from '../../src/presentation/ids.js';
import { buildPlace, Publications } from '../../src/presentation/publications.js';
import { fixtureDocument, imageConfig } from './fixture-document.js';
import { createImageBackend } from '../../src/image/backend.js';
import { pixelFixture, type PixelFixture } from '../helpers/image-fixtures.js';
import { writePattern } from '../helpers/pattern.js';

const base = 'https://iiif.example.org';
const logger = pino({ level: 'silent' });
const manifest = `${base}/iiif/presentation/3/${fixtureDocument.id}/manifest`;

/** An image service whose content key the test can change. */
function images(state = { key: 'k1' }) {
  return {
    state,
    source: async (id: string): Promise<SourceInfo> => ({ id, width: 1000, height: 1400, key: `${id}:${state.key}`, modified: new Date(0) }),
  };
}

/** The fixture document as a set that counts its loads. */
function countingSet(): DocumentSet & { loads: number } {
  const loaded = new LoadedDocumentSet([fixtureDocument]);
  const set = Object.create(loaded) as DocumentSet & { loads: number };
  set.loads = 0;
  set.load = (id: string) => {
    set.loads++;
    return loaded.load(id);
  };
  return set;
}

async function keptFiles(dir: string): Promise<string[]> {
  const all = await readdir(path.join(dir, 'presentation'), { recursive: true, withFileTypes: true }).catch(() => []);
  return all.filter((e) => e.isFile() && e.name.endsWith('.gz')).map((e) => path.join(e.parentPath, e.name));
}

async function eventually(test: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await test()); i++) await new Promise((r) => setTimeout(r, 10));
}

/** A kept file with its header changed by `change`, the bodies as they were. */
async function withHeader(file: string, change: (header: Record<string, any>) => void): Promise<void> {
  const bytes = await readFile(file);
  const length = bytes.readUInt32BE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + length));
  change(header);
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(json.length, 0);
  await writeFile(file, Buffer.concat([prefix, json, bytes.subarray(4 + length)]));
}

describe('Presentation builds kept in CACHE_DIR', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'iiif-publications-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a document kept by a check without loading or building it, byte for byte, ETag for ETag', async () => {
    const checker = new Publications({ documents: [fixtureDocument], images: images(), imageConfig, store: new PublicationStore(dir, logger) });
    // LoadedDocumentSet stamps a document with its data version.
    const all = await checker.forDocument(fixtureDocument, base, true, fixtureDocument.version);
    expect(await keptFiles(dir)).toHaveLength(1);

    const documents = countingSet();
    const serving = new Publications({ documents, images: images(), imageConfig, store: new PublicationStore(dir, logger) });
    for (const [id, built] of all) {
      const served = await serving.resource(fixtureDocument.id, base, id);
      expect(served?.etag, id).toBe(built.etag);
      expect(served?.contentType, id).toBe(built.contentType);
      expect(served?.body.identity.equals(built.body.identity), id).toBe(true);
    }
    expect(await serving.resource(fixtureDocument.id, base, `${base}/no/such/resource`)).toBeUndefined();
    expect(documents.loads).toBe(0);
    expect(serving.builds).toBe(0);
  });

  it('builds anew when an image changes or the base URL differs, and keeps that build for the next instance', async () => {
    const state = { key: 'k1' };
    await new Publications({ documents: [fixtureDocument], images: images(state), imageConfig, store: new PublicationStore(dir, logger) }).forDocument(
      fixtureDocument,
      base,
      true,
      fixtureDocument.version,
    );
    const first = countingSet();
    const serving = new Publications({ documents: first, images: images(state), imageConfig, store: new PublicationStore(dir, logger) });
    await serving.resource(fixtureDocument.id, base, manifest);
    expect(serving.builds).toBe(0);
    state.key = 'k2';
    const after = await serving.resource(fixtureDocument.id, base, manifest);
    expect(serving.builds).toBe(1);
    await serving.resource(fixtureDocument.id, 'https://other.example', `https://other.example/iiif/presentation/3/${fixtureDocument.id}/manifest`);
    expect(serving.builds).toBe(2);
    // The build of the new images takes the old one's place; the other base URL has its own.
    await eventually(async () => (await keptFiles(dir)).length === 2);
    expect(await keptFiles(dir)).toHaveLength(2);

    const next = countingSet();
    const restarted = new Publications({ documents: next, images: images(state), imageConfig, store: new PublicationStore(dir, logger) });
    expect((await restarted.resource(fixtureDocument.id, base, manifest))?.etag).toBe(after?.etag);
    expect(restarted.builds).toBe(0);
    expect(next.loads).toBe(0);
  });

  it('does not keep a build whose images changed while it was made, for the file would not be of its key', async () => {
    // The images change between the look that made the key and the look the build is made from.
    let looks = 0;
    const changing = {
      source: async (id: string): Promise<SourceInfo> => ({ id, width: 1000, height: 1400, key: `${id}:${++looks > fixtureDocument.leaves.length ? 'k2' : 'k1'}`, modified: new Date(0) }),
    };
    const serving = new Publications({ documents: countingSet(), images: changing, imageConfig, store: new PublicationStore(dir, logger) });
    expect(await serving.resource(fixtureDocument.id, base, manifest)).toBeDefined();
    expect(serving.builds).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await keptFiles(dir)).toEqual([]);
    // Asked again, the images hold still: that build is kept.
    await serving.resource(fixtureDocument.id, base, manifest);
    expect(serving.builds).toBe(2);
    await eventually(async () => (await keptFiles(dir)).length === 1);
    expect(await keptFiles(dir)).toHaveLength(1);
  });

  it('takes a damaged or foreign file for none and builds the document again', async () => {
    const checker = new Publications({ documents: [fixtureDocument], images: images(), imageConfig, store: new PublicationStore(dir, logger) });
    const all = await checker.forDocument(fixtureDocument, base, true, fixtureDocument.version);
    const [file] = await keptFiles(dir);
    for (const damage of [Buffer.from('not gzip'), Buffer.alloc(0)]) {
      await writeFile(file!, damage);
      const serving = new Publications({ documents: countingSet(), images: images(), imageConfig, store: new PublicationStore(dir, logger) });
      expect((await serving.resource(fixtureDocument.id, base, manifest))?.etag).toBe(all.get(manifest)?.etag);
      expect(serving.builds).toBe(1);
      // The build made instead is kept in its place, and served from there.
      const place = buildPlace(base, fixtureDocument.id, pageOfDocument(base, fixtureDocument.id, 1));
      const fromFile = async () => (await new PublicationStore(dir, logger).read(place))?.resources.get(manifest)?.etag === all.get(manifest)?.etag;
      await eventually(fromFile);
      expect(await fromFile()).toBe(true);
    }
  });

  describe('a kept build read back', () => {
    const place = buildPlace(base, fixtureDocument.id, pageOfDocument(base, fixtureDocument.id, 1));
    const keep = async () => {
      const all = await new Publications({ documents: [fixtureDocument], images: images(), imageConfig, store: new PublicationStore(dir, logger) }).forDocument(
        fixtureDocument,
        base,
        true,
        fixtureDocument.version,
      );
      return { all, file: new PublicationStore(dir, logger).fileOf(place) };
    };

    it('gives every resource with its media type, ETag, schema and bytes, and nothing else', async () => {
      const { all } = await keep();
      const read = await new PublicationStore(dir, logger).read(place);
      for (const [id, built] of all) {
        const found = read?.resources.get(id);
        expect([found?.contentType, found?.etag, found?.schema], id).toEqual([built.contentType, built.etag, built.schema]);
        expect(found?.body.identity.equals(built.body.identity), id).toBe(true);
      }
      for (const other of [`${base}/iiif/presentation/3/${fixtureDocument.id}`, `${manifest}/`, `https://other.example/iiif/presentation/3/${fixtureDocument.id}/manifest`, '']) {
        expect(read?.resources.get(other), other).toBeUndefined();
      }
      expect(await new PublicationStore(dir, logger).read(buildPlace('https://other.example', fixtureDocument.id, pageOfDocument(base, fixtureDocument.id, 1)))).toBeNull();
    });

    it.each([
      ['a column shorter than the ids', (h: Record<string, any>) => h.resources.etags.pop()],
      ['an id that is no string', (h: Record<string, any>) => (h.resources.ids[3] = 3)],
      ['an ETag that is no string', (h: Record<string, any>) => (h.resources.etags[0] = null)],
      ['a media type outside its table', (h: Record<string, any>) => (h.resources.contentType[0] = h.resources.contentTypes.length)],
      ['a schema index that is no index', (h: Record<string, any>) => (h.resources.schema[1] = 0.5)],
      ['bodies longer than the file', (h: Record<string, any>) => (h.resources.gzipped[2] += 1)],
      ['bodies shorter than the file', (h: Record<string, any>) => (h.resources.gzipped[2] -= 1)],
      ['no columns', (h: Record<string, any>) => delete h.resources],
    ])('takes a header with %s for no build', async (_, change) => {
      const { file } = await keep();
      expect(await new PublicationStore(dir, logger).read(place)).not.toBeNull();
      await withHeader(file, change);
      expect(await new PublicationStore(dir, logger).read(place)).toBeNull();
    });
  });
});

describe('a kept build and the image service', () => {
  let fx: PixelFixture;
  beforeEach(async () => {
    fx = await pixelFixture();
  });
  afterEach(async () => {
    await fx.remove();
  });

  const recordFiles = async () =>
    (await readdir(path.join(fx.cacheDir, 'images'), { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((e) => e.name === 'source.json')
      .map((e) => path.join(e.parentPath, e.name));

  it('hands the image service the records kept with it, so an unchanged image costs a stat, not a read', async () => {
    for (const leaf of fixtureDocument.leaves) await writePattern(path.join(fx.imagesDir, `${leaf.image}.png`), { width: 100, height: 140, columns: 2, rows: 2 });
    const checking = createImageBackend(fx.config(), logger);
    const all = await new Publications({ documents: [fixtureDocument], images: checking, imageConfig, store: new PublicationStore(fx.cacheDir, logger) }).forDocument(
      fixtureDocument,
      base,
      true,
      fixtureDocument.version,
    );
    await checking.close();
    // Without its own records, the image service of a new instance would hash every file and record it again.
    const records = await recordFiles();
    expect(records).toHaveLength(fixtureDocument.leaves.length);
    for (const file of records) await rm(file);

    const images = createImageBackend(fx.config(), logger);
    const serving = new Publications({ documents: countingSet(), images, imageConfig, store: new PublicationStore(fx.cacheDir, logger) });
    expect((await serving.resource(fixtureDocument.id, base, manifest))?.etag).toBe(all.get(manifest)?.etag);
    expect(serving.builds).toBe(0);
    expect(await recordFiles()).toEqual([]);

    // A record that no longer describes its file is not taken: the file is examined, and the manifest built anew.
    const leaf = fixtureDocument.leaves[0]!;
    await writePattern(path.join(fx.imagesDir, `${leaf.image}.png`), { width: 120, height: 140, columns: 4, rows: 4 });
    const later = createImageBackend(fx.config(), logger);
    const next = new Publications({ documents: countingSet(), images: later, imageConfig, store: new PublicationStore(fx.cacheDir, logger) });
    expect((await next.resource(fixtureDocument.id, base, manifest))?.etag).not.toBe(all.get(manifest)?.etag);
    expect(next.builds).toBe(1);
    expect(await recordFiles()).toHaveLength(1);
    await Promise.all([images.close(), later.close()]);
  });
});

describe('the kept builds’ version', () => {
  // Kept files outlive the code that wrote them: when the builders' output changes, a service
  // must not serve the old bytes from CACHE_DIR. This pins the fixture's whole build to
  // PUBLICATION_VERSION; if it fails, bump PUBLICATION_VERSION and set the new pair here.
  it('changes whenever the built bytes do', async () => {
    const publications = new Publications({ documents: [fixtureDocument], images: images(), imageConfig });
    const built = await publications.forDocument(fixtureDocument, base);
    const digest = createHash('sha256');
    for (const id of [...built.keys()].sort()) digest.update(`${id}\0${built.get(id)!.etag}\0`);
    expect(`${PUBLICATION_VERSION}:${digest.digest('hex').slice(0, 16)}`).toBe('5:2cb91479d63b448a');
  });
});
