/**
 * Instances are stateless: two service processes on one empty CACHE_DIR ingest the same
 * sources at the same time while clients ask both for tiles.
 */
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { tempOwner } from '../../src/image/cache-dir.js';
import { loadDerivative } from '../../src/image/derivative.js';
import { gridTiles } from '../../src/image/tile-grid.js';
import { ServiceProcess, tempDir, type LogLine } from '../hardening/service-process.js';

const TILE_SIZE = 512;

let fixture: Awaited<ReturnType<typeof tempDir>>;
let imagesDir = '';
let cacheDir = '';
const services: ServiceProcess[] = [];

beforeAll(async () => {
  fixture = await tempDir('iiif-shared-cache');
  imagesDir = path.join(fixture.dir, 'images');
  cacheDir = path.join(fixture.dir, 'cache');
  await mkdir(imagesDir);
  for (const name of await readdir(path.join(projectRoot, 'images'))) {
    if (name.endsWith('.jpg')) await copyFile(path.join(projectRoot, 'images', name), path.join(imagesDir, name));
  }
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await fixture?.remove();
});

const finished = (l: LogLine) => l.msg === 'image ingest finished';

describe('two instances on one empty CACHE_DIR', () => {
  it('ingest the same sources at once, answer every tile meanwhile, and leave one valid derivative each', async () => {
    const ids = (await readdir(imagesDir)).map((n) => n.replace(/\.jpg$/, '')).sort();
    const tiles: string[] = [];
    for (const id of ids) {
      const { width, height } = await sharp(path.join(imagesDir, `${id}.jpg`)).metadata();
      for (const t of gridTiles(width!, height!, TILE_SIZE)) {
        const r = t.region;
        tiles.push(`/iiif/3/${id}/${r.x},${r.y},${r.w},${r.h}/${t.width},${t.height}/0/default.jpg`);
      }
    }
    const env = { IMAGES_DIR: imagesDir, CACHE_DIR: cacheDir, INGEST_ON_START: 'true', TILE_SIZE: String(TILE_SIZE) };
    services.push(...(await Promise.all([ServiceProcess.start(env), ServiceProcess.start(env)])));

    // Clients on both, the whole time both are ingesting (bounded in time).
    const statuses = new Map<number, number>();
    const deadline = Date.now() + 60_000;
    const ingesting = () => services.some((s) => !s.logs.some(finished));
    let n = 0;
    const client = async (k: number) => {
      while (ingesting() && Date.now() < deadline) {
        const i = n++;
        const service = services[(i + k) % 2]!;
        const res = await fetch(`${service.url}${tiles[(i * 7919) % tiles.length]}`, { signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));
    expect(ingesting()).toBe(false);

    const summaries = services.map((s) => s.logs.find(finished) as LogLine & { images: number; built: number; failed: number });
    console.info(
      `shared CACHE_DIR: ${n} tile requests during ingest ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `built by each: ${summaries.map((s) => s.built).join(' and ')} of ${ids.length}`,
    );
    expect([...statuses.keys()]).toEqual([200]);
    expect(n).toBeGreaterThan(0);
    for (const s of summaries) expect(s).toMatchObject({ images: ids.length, failed: 0 });
    // Both built at least one image at the same time: the race was run, not avoided.
    expect(summaries[0]!.built + summaries[1]!.built).toBeGreaterThan(ids.length);
    for (const s of services) expect(s.logs.filter((l) => (l.level ?? 0) >= 50)).toEqual([]);

    // One complete derivative per image; nothing half-written left.
    for (const id of ids) {
      const names = (await readdir(path.join(cacheDir, 'images', id))).filter((name) => name !== 'source.json');
      expect(names).toHaveLength(1);
      const name = names[0]!;
      expect(tempOwner(name)).toBeNull();
      const key = name.slice(0, -`-${TILE_SIZE}`.length);
      const derivative = await loadDerivative(path.join(cacheDir, 'images', id, name), { id, key, tileSize: TILE_SIZE, inputPixels: 268_402_689 });
      expect(derivative?.manifest.tiles.length).toBe(tiles.filter((t) => t.startsWith(`/iiif/3/${id}/`)).length);
    }

    // Both answer every tile, under the same validator.
    for (const url of tiles.filter((_, i) => i % 7 === 0)) {
      const [a, b] = await Promise.all(services.map((s) => fetch(`${s.url}${url}`)));
      expect([a!.status, b!.status]).toEqual([200, 200]);
      expect(a!.headers.get('etag')).toBe(b!.headers.get('etag'));
      await Promise.all([a!.arrayBuffer(), b!.arrayBuffer()]);
    }
  }, 90_000);
});
