import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ServiceUnavailableError } from '../../src/errors.js';
import { createImageBackend, type ImageService } from '../../src/image/backend.js';
import { PACK_FILE } from '../../src/image/derivative.js';
import { gridTiles, scaleFactors } from '../../src/image/tile-grid.js';
import type { ImagePlan } from '../../src/image/types.js';
import { memoryLogger } from '../http/listen.js';
import { pixelFixture, tilePlan, type PixelFixture } from '../helpers/image-fixtures.js';
import { colourDistance, decode, palette, writePattern } from '../helpers/pattern.js';

const pattern = { width: 300, height: 200, columns: 3, rows: 2 };
const silent = pino({ level: 'silent' });
let fx: PixelFixture;
const services: ImageService[] = [];

function backend(env: Record<string, string> = {}, logger = silent): ImageService {
  const service = createImageBackend(fx.config(env), logger, { revalidateMs: 0, ingestOnDemand: false });
  services.push(service);
  return service;
}

beforeEach(async () => {
  fx = await pixelFixture();
  await writePattern(path.join(fx.imagesDir, 'page.png'), pattern);
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await fx.remove();
});

/** The tile requests OpenSeadragon makes for a 3.0 service: `x,y,w,h/w,h` (or `full/w,h` for the top level). */
function osdTilePlans(width: number, height: number, tileSize: number): ImagePlan[] {
  const plans: ImagePlan[] = [];
  const maxLevel = Math.log2(Math.max(...scaleFactors(width, height, tileSize)));
  for (let level = 0; level <= maxLevel; level++) {
    const scale = 0.5 ** (maxLevel - level);
    const levelWidth = Math.ceil(width * scale);
    const levelHeight = Math.ceil(height * scale);
    const span = Math.round(tileSize / scale);
    for (let y = 0; y * tileSize < levelHeight; y++) {
      for (let x = 0; x * tileSize < levelWidth; x++) {
        if (levelWidth < tileSize && levelHeight < tileSize) {
          plans.push(tilePlan(0, 0, width, height, levelWidth, levelHeight));
          continue;
        }
        const w = Math.min(span, width - x * span);
        const h = Math.min(span, height - y * span);
        const sw = Math.min(tileSize, levelWidth - x * tileSize);
        const sh = Math.min(tileSize, levelHeight - y * tileSize);
        plans.push(tilePlan(x * span, y * span, w, h, sw, sh));
      }
    }
  }
  return plans;
}

describe('createImageBackend', () => {
  it('lists and describes sources; unknown or invalid identifiers are 404', async () => {
    const images = backend();
    const list = await images.list();
    expect(list.map((s) => [s.id, s.width, s.height])).toEqual([['page', 300, 200]]);
    const info = await images.source('page');
    expect(info.key).toMatch(/^[0-9a-f]{20}$/);
    expect(info.modified).toBeInstanceOf(Date);
    // Nothing else leaves the pixel layer: its record names the file, not where the folder is.
    expect(Object.keys(info).sort()).toEqual(['height', 'id', 'key', 'modified', 'record', 'width']);
    expect(info.record).toMatchObject({ file: 'page.png', width: info.width, height: info.height, format: 'png' });
    for (const id of ['nope', '../images/page', 'page.png', '%2e%2e']) {
      await expect(images.source(id)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('renders before ingest, answers from memory when repeated, from the tile store after ingest', async () => {
    const images = backend();
    const source = await images.source('page');
    const a = tilePlan(0, 0, 64, 64, 64, 64);
    expect((await images.image(source, a)).origin).toBe('render');
    expect((await images.image(source, a)).origin).toBe('memory');

    await images.ingestAll();
    const b = tilePlan(64, 64, 64, 64, 64, 64);
    const stored = await images.image(source, b);
    expect(stored.origin).toBe('store');
    const again = await images.image(source, b);
    expect(again.origin).toBe('memory');
    expect(again.body.equals(stored.body)).toBe(true);
    const px = (await decode(stored.body)).pixel(30, 30);
    expect(colourDistance(px, palette[0]!)).toBeLessThan(24);
  });

  it('answers every tile OpenSeadragon asks for from the store, with the stored bytes', async () => {
    const images = backend({ TILE_CACHE_MB: '0' });
    const source = await images.source('page');
    await images.ingestAll();
    const plans = osdTilePlans(300, 200, 64);
    expect(plans).toHaveLength(gridTiles(300, 200, 64).length);
    for (const plan of plans) {
      const out = await images.image(source, plan);
      expect(out.origin).toBe('store');
      const d = await decode(out.body);
      expect([d.width, d.height]).toEqual([plan.width, plan.height]);
    }
    expect(images.counts).toMatchObject({ store: plans.length, render: 0, memory: 0 });
  });

  it('renders everything else (rotation, quality, format, off-grid sizes) from the pyramid', async () => {
    const images = backend({ TILE_CACHE_MB: '0' });
    const source = await images.source('page');
    await images.ingestAll();
    const variants: ImagePlan[] = [
      { ...tilePlan(0, 0, 64, 64, 64, 64), rotation: 90 },
      { ...tilePlan(0, 0, 64, 64, 64, 64), mirror: true },
      { ...tilePlan(0, 0, 64, 64, 64, 64), quality: 'gray' },
      { ...tilePlan(0, 0, 64, 64, 64, 64), format: 'png' },
      tilePlan(0, 0, 64, 64, 32, 32),
      tilePlan(10, 10, 64, 64, 64, 64),
    ];
    for (const plan of variants) expect((await images.image(source, plan)).origin).toBe('render');
    // A v2 `w,` request whose rounding gives the grid tile's size is the stored tile.
    expect((await images.image(source, tilePlan(256, 128, 44, 72, 22, 36))).origin).toBe('store');
  });

  it('renders an image requested before its ingest at once, and ingests it in the background', async () => {
    const images = createImageBackend(fx.config({ TILE_CACHE_MB: '0' }), silent, { revalidateMs: 0, ingestOnDemand: true });
    services.push(images);
    const source = await images.source('page');
    const plan = tilePlan(0, 0, 64, 64, 64, 64);
    expect((await images.image(source, plan)).origin).toBe('render');
    let origin = 'render';
    for (let i = 0; i < 200 && origin !== 'store'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      origin = (await images.image(source, plan)).origin;
    }
    expect(origin).toBe('store');
  });

  it('opens (here: builds) the derivative for a viewer asking for pixels, not for callers that only want the size', async () => {
    const images = createImageBackend(fx.config(), silent, { revalidateMs: 0, ingestOnDemand: true });
    services.push(images);
    const derivatives = async () => (await readdir(path.join(fx.cacheDir, 'images', 'page')).catch(() => [])).filter((n) => n !== 'source.json');
    // Manifests, searches and pages ask for every leaf's size: that must not open or build anything.
    for (let i = 0; i < 3; i++) await images.source('page');
    await new Promise((r) => setTimeout(r, 300));
    expect(await derivatives()).toEqual([]);
    // info.json (pixels: true) opens it, and a missing one is built for the tiles to come.
    await images.source('page', { pixels: true });
    for (let i = 0; i < 200 && (await derivatives()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await derivatives()).toHaveLength(1);
  });

  it('rebuilds a derivative found damaged while serving, and serves correct pixels meanwhile', async () => {
    const images = backend({ TILE_CACHE_MB: '0' }, silent);
    const source = await images.source('page');
    await images.ingestAll();
    const dir = path.join(fx.cacheDir, 'images', 'page');
    const derivative = (await readdir(dir)).find((n) => n !== 'source.json')!;
    const pack = path.join(dir, derivative, PACK_FILE);
    const bytes = await readFile(pack);
    for (let i = 0; i < bytes.length; i += 50) bytes[i] = 0;
    await writeFile(pack, bytes);

    const plan = tilePlan(0, 0, 64, 64, 64, 64);
    const out = await images.image(source, plan);
    expect(out.origin).toBe('render');
    expect(colourDistance((await decode(out.body)).pixel(30, 30), palette[0]!)).toBeLessThan(24);
    // The rebuild runs in the background; then the tile store answers again.
    for (let i = 0; i < 100 && (await images.image(source, tilePlan(64, 0, 64, 64, 64, 64))).origin !== 'store'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await images.image(source, tilePlan(128, 0, 64, 64, 64, 64))).origin).toBe('store');
  });

  it('keeps serving with an unwritable cache, rendering on demand, and says so once', async () => {
    await writeFile(fx.cacheDir, 'a file where the cache folder should be');
    const { logger, lines } = memoryLogger('warn');
    const images = createImageBackend(fx.config(), logger, { revalidateMs: 0, ingestOnDemand: true });
    services.push(images);
    const source = await images.source('page');
    await images.ingestAll();
    for (let i = 0; i < 5; i++) {
      const out = await images.image(source, tilePlan(0, 0, 64, 64, 64 - i, 64 - i));
      expect(out.origin).toBe('render');
    }
    const warnings = lines.filter((l) => String(l.msg).includes('not writable'));
    expect(warnings).toHaveLength(1);
  });

  it('answers a damaged source with a clear 500 for that image only, logged once', async () => {
    const bytes = await readFile(path.join(fx.imagesDir, 'page.png'));
    await writeFile(path.join(fx.imagesDir, 'cut.png'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const { logger, lines } = memoryLogger('warn');
    const images = createImageBackend(fx.config(), logger, { revalidateMs: 0, ingestOnDemand: false });
    services.push(images);
    const cut = await images.source('cut');
    for (let i = 0; i < 3; i++) {
      await expect(images.image(cut, tilePlan(0, 0, 300, 200, 150 - i, 100 - i))).rejects.toMatchObject({
        status: 500,
        message: 'The image "cut" cannot be read: its source file is damaged',
      });
    }
    expect(lines.filter((l) => l.msg === 'source image cannot be decoded')).toHaveLength(1);
    const page = await images.source('page');
    expect((await images.image(page, tilePlan(0, 0, 64, 64, 64, 64))).origin).toBe('render');
  });

  it('counts a source that cannot be read at all as a failed ingest', async () => {
    await writeFile(path.join(fx.imagesDir, 'bad.jpg'), Buffer.from('this is not a JPEG'));
    expect(await backend().ingestAll()).toEqual({ images: 2, built: 1, failed: 1 });
  });

  it('refuses renders beyond the gate’s queue with 503, while memory hits still answer', async () => {
    const images = backend({ RENDER_CONCURRENCY: '1', RENDER_QUEUE: '1' });
    const page = await images.source('page');
    const hot = tilePlan(0, 0, 64, 64, 64, 64);
    await images.image(page, hot);
    // Four different renders arrive at once: one runs, one waits, two are refused.
    const renders = [0, 1, 2, 3].map((i) =>
      images.image(page, { ...tilePlan(0, 0, 300, 200, 290 - i, 190 - i), rotation: 33, format: 'png' }),
    );
    const settled = await Promise.allSettled([...renders, images.image(page, hot)]);
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ServiceUnavailableError);
      expect((r as PromiseRejectedResult).reason).toMatchObject({ headers: { 'Retry-After': '1' } });
    }
    expect(settled.at(-1)).toMatchObject({ status: 'fulfilled', value: { origin: 'memory' } });
  });

  it('shares one render between concurrent identical requests', async () => {
    const images = backend();
    const source = await images.source('page');
    const plan = tilePlan(0, 0, 300, 200, 150, 100);
    const results = await Promise.all([1, 2, 3, 4].map(() => images.image(source, plan)));
    expect(images.counts.render).toBe(1);
    for (const r of results) expect(r.body.equals(results[0]!.body)).toBe(true);
  });
});
