import * as fsp from 'node:fs/promises';
import { mkdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError, NotFoundError } from '../../src/errors.js';
import { CacheDir } from '../../src/image/cache-dir.js';
import { contentKey, isValidIdentifier, SourceCatalog } from '../../src/image/sources.js';
import { pixelFixture, type PixelFixture } from '../helpers/image-fixtures.js';
import { patternImage, writePattern } from '../helpers/pattern.js';
import { memoryLogger } from '../http/listen.js';

// Every listing of a folder is seen, so a test can say the request path never lists one.
const listed = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (dir: string, ...rest: unknown[]) => {
    listed.push(String(dir));
    return (fs.readdir as (...a: unknown[]) => unknown)(dir, ...rest);
  };
  return { ...fs, readdir, default: { ...fs, readdir } };
});

const logger = pino({ level: 'silent' });
let fx: PixelFixture;

function catalog(): SourceCatalog {
  return new SourceCatalog({
    imagesDir: fx.imagesDir,
    cache: new CacheDir(fx.cacheDir, logger),
    inputPixels: 1e8,
    logger,
    revalidateMs: 0,
  });
}

beforeEach(async () => {
  fx = await pixelFixture();
});
afterEach(async () => {
  await fx.remove();
});

describe('identifiers', () => {
  it.each(['l43', 'f558-op11-d340-l43', 'scan_01.v2', 'A'])('accepts %s', (id) => {
    expect(isValidIdentifier(id)).toBe(true);
  });
  it.each(['', '.', '..', '../l43', 'a/b', 'a\\b', '.hidden', '-x', 'a..b', 'l43%2F', 'l 43', 'л43', 'a\u0000', 'x'.repeat(129)])(
    'rejects %j',
    (id) => {
      expect(isValidIdentifier(id)).toBe(false);
    },
  );
});

describe('SourceCatalog', () => {
  it('serves every JPEG, TIFF, PNG and WebP file under its stem, with its size', async () => {
    const p = { width: 120, height: 80, columns: 3, rows: 2 };
    for (const name of ['a.jpg', 'b.jpeg', 'c.tif', 'd.tiff', 'e.png', 'f.webp', 'G.JPG']) {
      await writePattern(path.join(fx.imagesDir, name), p);
    }
    const list = await catalog().list();
    expect(list.map((s) => s.id)).toEqual(['G', 'a', 'b', 'c', 'd', 'e', 'f']);
    for (const s of list) expect([s.width, s.height]).toEqual([120, 80]);
    expect(list.find((s) => s.id === 'c')?.format).toBe('tiff');
  });

  it('ignores other files, hidden files, folders and names that are not identifiers', async () => {
    const p = { width: 20, height: 20, columns: 1, rows: 1 };
    await writePattern(path.join(fx.imagesDir, 'ok.png'), p);
    await writePattern(path.join(fx.imagesDir, '.hidden.png'), p);
    await writePattern(path.join(fx.imagesDir, 'with space.png'), p);
    await writeFile(path.join(fx.imagesDir, 'notes.txt'), 'x');
    await writeFile(path.join(fx.imagesDir, 'l43.alto.xml'), '<alto/>');
    await mkdir(path.join(fx.imagesDir, 'sub.png'));
    expect((await catalog().list()).map((s) => s.id)).toEqual(['ok']);
  });

  it('answers NotFoundError for unknown and invalid identifiers, never reading outside the folder', async () => {
    await writePattern(path.join(fx.root, 'outside.png'), { width: 10, height: 10, columns: 1, rows: 1 });
    await writePattern(path.join(fx.imagesDir, 'inside.png'), { width: 10, height: 10, columns: 1, rows: 1 });
    const c = catalog();
    for (const id of ['missing', '../outside', '..%2Foutside', 'inside.png', 'inside/', '/etc/passwd', '', '..']) {
      await expect(c.get(id)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(c.get('inside')).resolves.toMatchObject({ id: 'inside' });
  });

  it('serves a symbolic link only when it points inside the folder', async () => {
    const p = { width: 10, height: 10, columns: 1, rows: 1 };
    await writePattern(path.join(fx.root, 'secret.png'), p);
    await writePattern(path.join(fx.imagesDir, 'real.png'), p);
    await symlink(path.join(fx.root, 'secret.png'), path.join(fx.imagesDir, 'escape.png'));
    await symlink(path.join(fx.imagesDir, 'real.png'), path.join(fx.imagesDir, 'alias.png'));
    expect((await catalog().list()).map((s) => s.id)).toEqual(['alias', 'real']);
  });

  it('prefers the lossless file when two share a stem', async () => {
    const p = { width: 10, height: 10, columns: 1, rows: 1 };
    await writePattern(path.join(fx.imagesDir, 'l43.jpg'), p);
    await writePattern(path.join(fx.imagesDir, 'l43.tif'), p);
    expect((await catalog().get('l43')).format).toBe('tiff');
  });

  it('keys a source by its content: a touch keeps the key, new pixels change it', async () => {
    const file = path.join(fx.imagesDir, 'page.png');
    await writePattern(file, { width: 40, height: 40, columns: 2, rows: 2 });
    const c = catalog();
    const first = await c.get('page');
    expect(first.key).toBe(contentKey(first.sha256));

    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    const touched = await c.get('page');
    expect(touched.mtimeMs).not.toBe(first.mtimeMs);
    expect(touched.key).toBe(first.key);

    await writePattern(file, { width: 40, height: 40, columns: 4, rows: 4 });
    const changed = await c.get('page');
    expect(changed.key).not.toBe(first.key);
  });

  /** A catalog with a one-second period over page.png, its clock in the test's hands; `replace` writes another pattern. */
  async function onTestClock(test: (c: SourceCatalog, replace: (squares: number) => Promise<void>) => Promise<void>): Promise<void> {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const file = path.join(fx.imagesDir, 'page.png');
      const replace = async (squares: number) => void (await writePattern(file, { width: 40, height: 40, columns: squares, rows: squares }));
      await replace(2);
      await test(new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger, revalidateMs: 1000 }), replace);
    } finally {
      vi.useRealTimers();
    }
  }

  it('serves an image in use at once, looking again ahead from half the period, and never from a look older than the period', () =>
    onTestClock(async (c, replace) => {
      const first = await c.get('page');

      // Replaced; 0.6 s after the look, within the period: answered at once, and looked at behind it.
      await replace(4);
      vi.setSystemTime(Date.now() + 600);
      expect((await c.get('page')).key).toBe(first.key);
      await vi.waitFor(async () => expect((await c.get('page')).key).not.toBe(first.key));
      const second = await c.get('page');

      // Replaced again, and the last look is past the period: the request waits for a new one.
      await replace(8);
      vi.setSystemTime(Date.now() + 1500);
      const third = await c.get('page');
      expect([third.key === second.key, third.key === first.key]).toEqual([false, false]);
    }));

  it('takes a look as old as a caller allows, looking again behind it from half its own period', () =>
    onTestClock(async (c, replace) => {
      const first = await c.get('page');

      // Replaced; 1.5 s after the look: past the period, within the 2 s the caller allows.
      await replace(4);
      vi.setSystemTime(Date.now() + 1500);
      expect((await c.get('page', { maxAgeMs: 2000 })).key).toBe(first.key);
      await vi.waitFor(async () => expect((await c.get('page', { maxAgeMs: 2000 })).key).not.toBe(first.key));
      const second = await c.get('page');

      // Replaced again: a caller allowing less than the period waits for a look younger than that.
      await replace(8);
      vi.setSystemTime(Date.now() + 300);
      expect((await c.get('page', { maxAgeMs: 200 })).key).not.toBe(second.key);
    }));

  it('hashes a file only when its size or mtime changed, remembering the hash across restarts', async () => {
    const file = path.join(fx.imagesDir, 'page.png');
    await writePattern(file, { width: 40, height: 40, columns: 2, rows: 2 });
    const first = await catalog().get('page');
    const recordFile = path.join(fx.cacheDir, 'images', 'page', 'source.json');
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as { sha256: string; bytes: number };
    expect(record.sha256).toBe(first.sha256);
    expect(record.bytes).toBe((await stat(file)).size);
    // A new catalog trusts the record while size and mtime match: proof that it did not re-hash.
    await writeFile(recordFile, JSON.stringify({ ...record, sha256: 'f'.repeat(64) }));
    expect((await catalog().get('page')).key).toBe(contentKey('f'.repeat(64)));
  });

  it('remembers the header with the hash, so a restart decodes nothing while size and mtime match', async () => {
    const file = path.join(fx.imagesDir, 'page.png');
    await writePattern(file, { width: 40, height: 30, columns: 2, rows: 2 });
    await catalog().get('page');
    const recordFile = path.join(fx.cacheDir, 'images', 'page', 'source.json');
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ width: 40, height: 30, format: 'png' });
    // Proof that the header was not read again: the record's word is taken.
    await writeFile(recordFile, JSON.stringify({ ...record, width: 41 }));
    expect(await catalog().get('page')).toMatchObject({ width: 41, height: 30 });
    // Held to the same input pixel limit as a decoded header.
    const small = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1000, logger, revalidateMs: 0 });
    await expect(small.get('page')).rejects.toMatchObject({ status: 403 });
    // A record of the hash alone (written by an older version) is completed from the file.
    const { width: _w, height: _h, format: _f, ...hashOnly } = record;
    await writeFile(recordFile, JSON.stringify(hashOnly));
    expect(await catalog().get('page')).toMatchObject({ width: 40, height: 30 });
    expect(JSON.parse(await readFile(recordFile, 'utf8'))).toMatchObject({ width: 40, height: 30, format: 'png' });
    // A changed file is examined afresh, whatever the record says.
    await writePattern(file, { width: 20, height: 20, columns: 1, rows: 1 });
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    expect(await catalog().get('page')).toMatchObject({ width: 20, height: 20 });
  });

  it('answers a damaged source with a clear error and leaves it out of the list', async () => {
    await writePattern(path.join(fx.imagesDir, 'good.png'), { width: 10, height: 10, columns: 1, rows: 1 });
    await writeFile(path.join(fx.imagesDir, 'bad.jpg'), Buffer.from('this is not a JPEG'));
    const c = catalog();
    const err = await c.get('bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 500, message: 'The image "bad" cannot be read: its source file is damaged' });
    expect((await c.list()).map((s) => s.id)).toEqual(['good']);
  });

  it('examines and logs a damaged source once per file version, not on every revalidation', async () => {
    await writeFile(path.join(fx.imagesDir, 'bad.jpg'), Buffer.from('this is not a JPEG'));
    const mem = memoryLogger('warn');
    const c = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger: mem.logger, revalidateMs: 0 });
    for (let i = 0; i < 3; i++) await expect(c.get('bad')).rejects.toMatchObject({ status: 500 });
    expect(mem.lines.filter((l) => l.msg === 'source image cannot be read')).toHaveLength(1);
  });

  it('refuses a source above the input pixel limit with a 403 naming the limit', async () => {
    await writePattern(path.join(fx.imagesDir, 'huge.png'), { width: 200, height: 100, columns: 1, rows: 1 });
    const c = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 10_000, logger, revalidateMs: 0 });
    await expect(c.get('huge')).rejects.toMatchObject({
      status: 403,
      message: 'The image "huge" is 200×100 pixels, above this server\'s input pixel limit of 10000',
    });
  });

  it('serves a file added after the last folder scan at once, without waiting for the next', async () => {
    const c = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger, revalidateMs: 60_000 });
    expect(await c.list()).toEqual([]);
    await writePattern(path.join(fx.imagesDir, 'late.TIF'), { width: 10, height: 10, columns: 1, rows: 1 });
    await expect(c.get('late')).resolves.toMatchObject({ id: 'late', format: 'tiff' });
  });

  it('answers every request that arrives while a source is first being read, none with a 404', async () => {
    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 600, height: 400, columns: 3, rows: 2 });
    const c = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger, revalidateMs: 60_000 });
    const calls = [c.get('page')];
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setImmediate(r));
      calls.push(c.get('page'));
    }
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  it('finds an identifier without listing the folder; only asking for every source lists it', async () => {
    const p = { width: 10, height: 10, columns: 1, rows: 1 };
    for (const name of ['a.jpg', 'b.TIFF', 'c.png']) await writePattern(path.join(fx.imagesDir, name), p);
    listed.length = 0;
    const c = catalog();
    for (const id of ['a', 'b', 'c']) await expect(c.get(id)).resolves.toMatchObject({ id });
    await expect(c.get('missing')).rejects.toBeInstanceOf(NotFoundError);
    // Found again by their records, after a restart.
    for (const id of ['a', 'b', 'c']) await expect(catalog().get(id)).resolves.toMatchObject({ id });
    expect(listed.filter((dir) => dir === fx.imagesDir)).toEqual([]);
    expect((await c.list()).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(listed.filter((dir) => dir === fx.imagesDir)).toHaveLength(1);
  });

  it('serves the file its record names until the folder is listed, which settles a stem two files share', async () => {
    const p = { width: 10, height: 10, columns: 1, rows: 1 };
    await writePattern(path.join(fx.imagesDir, 'l43.jpg'), p);
    expect((await catalog().get('l43')).format).toBe('jpeg');
    await writePattern(path.join(fx.imagesDir, 'l43.png'), p);
    const c = catalog();
    expect((await c.get('l43')).format).toBe('jpeg');
    await c.list();
    expect((await c.get('l43')).format).toBe('png');
    // The record now names the lossless file, so a restart serves it too.
    expect((await catalog().get('l43')).format).toBe('png');
    // And when the file served goes, the next one is found at once.
    await rm(path.join(fx.imagesDir, 'l43.png'));
    expect((await c.get('l43')).format).toBe('jpeg');
  });

  it('serves extensions in lower or upper case, and says why a mixed-case one is not served', async () => {
    const p = { width: 10, height: 10, columns: 1, rows: 1 };
    for (const name of ['lower.png', 'UPPER.PNG', 'mixed.Png']) await patternImage(p).png().toFile(path.join(fx.imagesDir, name));
    const mem = memoryLogger('warn');
    const c = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger: mem.logger, revalidateMs: 0 });
    expect((await c.list()).map((s) => s.id)).toEqual(['UPPER', 'lower']);
    await expect(c.get('mixed')).rejects.toBeInstanceOf(NotFoundError);
    expect(mem.lines.filter((l) => l.msg === 'image file extension is neither lower nor upper case; not served')).toMatchObject([{ file: 'mixed.Png' }]);
  });

  it('keeps the state of the most recently asked identifiers only, and finds a forgotten one again', async () => {
    const p = { width: 10, height: 10, columns: 1, rows: 1 };
    for (const id of ['a', 'b', 'c', 'd']) await writePattern(path.join(fx.imagesDir, `${id}.png`), p);
    const c = new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger, revalidateMs: 60_000, kept: 2 });
    const a = await c.get('a');
    for (const id of ['b', 'c', 'd']) await c.get(id);
    expect(['a', 'b', 'c', 'd'].map((id) => c.peek(id)?.id)).toEqual([undefined, undefined, 'c', 'd']);
    await expect(c.get('a')).resolves.toEqual(a);
  });

  it('tells who asked when a source has new pixels, also when they changed while no instance was looking', async () => {
    const file = path.join(fx.imagesDir, 'page.png');
    await writePattern(file, { width: 40, height: 40, columns: 2, rows: 2 });
    const replaced: [string, string][] = [];
    const watching = () =>
      new SourceCatalog({ imagesDir: fx.imagesDir, cache: new CacheDir(fx.cacheDir, logger), inputPixels: 1e8, logger, revalidateMs: 0, onReplaced: (id, key) => replaced.push([id, key]) });
    const c = watching();
    const first = await c.get('page');
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    await c.get('page');
    expect(replaced).toEqual([]);

    await writePattern(file, { width: 40, height: 40, columns: 4, rows: 4 });
    const second = await c.get('page');
    expect(replaced).toEqual([['page', first.key]]);

    // Changed while stopped: the record left by the last look says what was served before.
    await writePattern(file, { width: 40, height: 40, columns: 8, rows: 8 });
    await watching().get('page');
    expect(replaced).toEqual([['page', first.key], ['page', second.key]]);
  });

  it('takes the record a caller kept while it describes the file, and reads its own otherwise', async () => {
    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 40, height: 30, columns: 2, rows: 2 });
    const real = await catalog().get('page');
    const kept = { file: 'page.png', bytes: real.bytes, mtimeMs: real.mtimeMs, sha256: 'f'.repeat(64), width: 40, height: 30, format: 'png' };
    // Taken: proof that neither the file nor the cache's record was read.
    expect((await catalog().get('page', { known: async () => kept })).key).toBe(contentKey('f'.repeat(64)));
    // Not taken: of another size, of another file, not a record at all, or not to be had.
    for (const known of [
      async () => ({ ...kept, bytes: kept.bytes + 1 }),
      async () => ({ ...kept, file: 'other.png' }),
      async () => ({ ...kept, file: '../page.png' }),
      async () => ({ file: 'page.png' }),
      async () => undefined,
      async () => Promise.reject(new Error('unreadable')),
    ]) {
      expect((await catalog().get('page', { known })).key).toBe(real.key);
    }
    // Asked for only when the identifier is not held already.
    const c = catalog();
    await c.get('page');
    const asked = vi.fn(async () => kept);
    expect((await c.get('page', { known: asked })).key).toBe(real.key);
    expect(asked).not.toHaveBeenCalled();
  });

  it('notices files added and removed after start', async () => {
    const c = catalog();
    expect(await c.list()).toEqual([]);
    await patternImage({ width: 10, height: 10, columns: 1, rows: 1 }).png().toFile(path.join(fx.imagesDir, 'new.png'));
    await expect(c.get('new')).resolves.toMatchObject({ width: 10 });
    await rm(path.join(fx.imagesDir, 'new.png'));
    await expect(c.get('new')).rejects.toBeInstanceOf(NotFoundError);
  });
});
