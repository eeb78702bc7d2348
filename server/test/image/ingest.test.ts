import { mkdir, readdir, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheDir } from '../../src/image/cache-dir.js';
import { MANIFEST_FILE, PACK_FILE, PYRAMID_FILE, readTile } from '../../src/image/derivative.js';
import { derivativeDir, findDerivative, ingestSource, sourceInput } from '../../src/image/ingest.js';
import { renderPlan } from '../../src/image/render.js';
import { SourceCatalog, type SourceFile } from '../../src/image/sources.js';
import { gridTiles } from '../../src/image/tile-grid.js';
import { pixelFixture, tilePlan, type PixelFixture } from '../helpers/image-fixtures.js';
import { decode, palette, patternImage, writePattern } from '../helpers/pattern.js';

const logger = pino({ level: 'silent' });
const pattern = { width: 300, height: 200, columns: 3, rows: 2 };
let fx: PixelFixture;
let cache: CacheDir;
let catalog: SourceCatalog;
const opts = () => ({ cache, tileSize: 64, inputPixels: 1e8 });

async function source(): Promise<SourceFile> {
  return catalog.get('page');
}

/** Mean absolute difference per channel between two decoded images of the same size. */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [da, db] = [await decode(a), await decode(b)];
  expect([db.width, db.height]).toEqual([da.width, da.height]);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < da.height; y += 3) {
    for (let x = 0; x < da.width; x += 3) {
      const [pa, pb] = [da.pixel(x, y), db.pixel(x, y)];
      for (let c = 0; c < 3; c++) sum += Math.abs(pa[c]! - pb[c]!);
      n += 3;
    }
  }
  return sum / n;
}

beforeEach(async () => {
  fx = await pixelFixture();
  cache = new CacheDir(fx.cacheDir, logger);
  catalog = new SourceCatalog({ imagesDir: fx.imagesDir, cache, inputPixels: 1e8, logger, revalidateMs: 0 });
  await writePattern(path.join(fx.imagesDir, 'page.png'), pattern);
});
afterEach(async () => {
  await fx.remove();
});

describe('ingestSource', () => {
  it('writes the pyramid, every tile of the advertised grid and the completion marker', async () => {
    const src = await source();
    const result = await ingestSource(src, opts());
    expect(result.built).toBe(true);
    const dir = derivativeDir(cache, src, 64);
    expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, PYRAMID_FILE, PACK_FILE].sort());
    const grid = gridTiles(300, 200, 64);
    expect(result.tiles).toBe(grid.length);
    for (const t of grid) {
      const r = t.region;
      expect(result.derivative.tiles.has(`${r.x},${r.y},${r.w},${r.h}/${t.width},${t.height}`)).toBe(true);
    }
    // Nothing temporary is left next to it.
    expect(await readdir(cache.dirOf('page'))).toEqual(expect.not.arrayContaining([expect.stringMatching(/tmp/)]));
  });

  it('stores tiles with the same pixels as a direct render of the same request', async () => {
    const src = await source();
    const { derivative } = await ingestSource(src, opts());
    for (const t of gridTiles(300, 200, 64)) {
      const r = t.region;
      const stored = await readTile(derivative, derivative.tiles.get(`${r.x},${r.y},${r.w},${r.h}/${t.width},${t.height}`)!);
      const direct = await renderPlan(sourceInput(src, 1e8), tilePlan(r.x, r.y, r.w, r.h, t.width, t.height), 10);
      expect(await meanDifference(stored, direct)).toBeLessThan(6);
    }
  });

  it('ingests a 16-bit source into an 8-bit sRGB pyramid and tiles', async () => {
    const rgb8 = await patternImage(pattern).raw().toBuffer();
    const rgb16 = new Uint16Array(rgb8.length);
    for (let i = 0; i < rgb8.length; i++) rgb16[i] = rgb8[i]! * 257;
    await sharp(rgb16, { raw: { width: 300, height: 200, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toFile(path.join(fx.imagesDir, 'page.png'));
    expect((await sharp(path.join(fx.imagesDir, 'page.png')).metadata()).depth).toBe('ushort');
    const { derivative } = await ingestSource(await source(), opts());
    expect((await sharp(derivative.input.path).metadata()).depth).toBe('uchar');
    const tile = await readTile(derivative, derivative.tiles.get('64,64,64,64/64,64')!);
    expect((await decode(tile)).pixel(30, 30).slice(0, 3).every((v, c) => Math.abs(v - palette[0]![c]!) < 24)).toBe(true);
  });

  it('does nothing for a source already ingested', async () => {
    const src = await source();
    await ingestSource(src, opts());
    const again = await ingestSource(src, opts());
    expect(again.built).toBe(false);
    expect(again.tiles).toBe(gridTiles(300, 200, 64).length);
  });

  it('ingests a changed source again under its new key and drops the old derivative', async () => {
    const before = await source();
    await ingestSource(before, opts());
    await writePattern(path.join(fx.imagesDir, 'page.png'), { ...pattern, columns: 6 });
    const after = await source();
    expect(after.key).not.toBe(before.key);
    expect(await findDerivative(after, opts())).toBeNull();
    const result = await ingestSource(after, opts());
    expect(result.built).toBe(true);
    const folders = (await readdir(cache.dirOf('page'))).filter((n) => n !== 'source.json');
    expect(folders).toEqual([path.basename(derivativeDir(cache, after, 64))]);
  });

  it('never uses a folder without its completion marker, and rebuilds it', async () => {
    const src = await source();
    const dir = derivativeDir(cache, src, 64);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, PYRAMID_FILE), 'half a pyramid');
    expect(await findDerivative(src, opts())).toBeNull();
    const result = await ingestSource(src, opts());
    expect(result.built).toBe(true);
    expect((await stat(path.join(dir, MANIFEST_FILE))).isFile()).toBe(true);
  });

  it('removes the temporary folder of a process that died mid-ingest, and keeps a live one’s', async () => {
    const src = await source();
    const parent = cache.dirOf('page');
    const dead = path.join(parent, `.tmp-${src.key}-64-2147483646-0badf00d`);
    const live = path.join(parent, `.tmp-${src.key}-64-${process.pid}-0badf00d`);
    await mkdir(dead, { recursive: true });
    await mkdir(live, { recursive: true });
    await writeFile(path.join(dead, PYRAMID_FILE), 'partial');
    expect(await cache.removeStaleTemps()).toBe(1);
    const names = await readdir(parent);
    expect(names).toContain(path.basename(live));
    expect(names).not.toContain(path.basename(dead));
    // A pid may be reused by another process: a temporary untouched for hours goes anyway.
    const longAgo = new Date(Date.now() - 7 * 3600 * 1000);
    await utimes(live, longAgo, longAgo);
    expect(await cache.removeStaleTemps()).toBe(1);
    expect(await readdir(parent)).not.toContain(path.basename(live));
  });

  it('leaves another machine’s temporary folder on a shared CACHE_DIR until it is hours old', async () => {
    const src = await source();
    const parent = cache.dirOf('page');
    // Pid 2147483646 runs nowhere here, but this folder was written on another host.
    const foreign = path.join(parent, `.tmp-${src.key}-64-2147483646-0badf00d@other-host.example`);
    await mkdir(foreign, { recursive: true });
    expect(await cache.removeStaleTemps()).toBe(0);
    expect(await readdir(parent)).toContain(path.basename(foreign));
    const longAgo = new Date(Date.now() - 7 * 3600 * 1000);
    await utimes(foreign, longAgo, longAgo);
    expect(await cache.removeStaleTemps()).toBe(1);
    expect(await readdir(parent)).not.toContain(path.basename(foreign));
  });

  it('detects a truncated pyramid or tile pack and deletes the derivative so it is rebuilt', async () => {
    const src = await source();
    const { derivative } = await ingestSource(src, opts());
    await truncate(path.join(derivative.dir, PYRAMID_FILE), 1000);
    expect(await findDerivative(src, opts())).toBeNull();
    await expect(stat(derivative.dir)).rejects.toMatchObject({ code: 'ENOENT' });

    const rebuilt = await ingestSource(src, opts());
    expect(rebuilt.built).toBe(true);
    const pack = path.join(rebuilt.derivative.dir, PACK_FILE);
    await truncate(pack, (await stat(pack)).size - 10);
    expect(await findDerivative(src, opts())).toBeNull();
  });

  it('refuses to serve a stored tile whose bytes no longer match their hash', async () => {
    const src = await source();
    const { derivative } = await ingestSource(src, opts());
    const pack = path.join(derivative.dir, PACK_FILE);
    const bytes = await readFile(pack);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    await writeFile(pack, bytes);
    const last = [...derivative.tiles.values()].at(-1)!;
    await expect(readTile(derivative, last)).rejects.toThrow(/does not match its hash/);
  });

  it('abandons a build on shutdown without leaving a folder behind', async () => {
    const src = await source();
    const controller = new AbortController();
    const build = ingestSource(src, {
      ...opts(),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(build).rejects.toThrow();
    expect(await readdir(cache.dirOf('page'))).toEqual(['source.json']);
  });
});
