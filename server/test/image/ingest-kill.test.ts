import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { createImageBackend } from '../../src/image/backend.js';
import { pixelFixture, tilePlan, type PixelFixture } from '../helpers/image-fixtures.js';
import { writePattern } from '../helpers/pattern.js';

let fx: PixelFixture;
beforeEach(async () => {
  fx = await pixelFixture();
});
afterEach(async () => {
  await fx.remove();
});

/** Names in the image's cache folder, or [] before it exists. */
async function cacheEntries(): Promise<string[]> {
  return readdir(path.join(fx.cacheDir, 'images', 'page')).catch(() => []);
}

describe('an ingest killed with SIGKILL', () => {
  it('leaves nothing that is ever served, and the next start finishes the job', async () => {
    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 1600, height: 1200, columns: 8, rows: 6 });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/scripts/ingest.ts')], {
      cwd: projectRoot,
      env: { ...process.env, IMAGES_DIR: fx.imagesDir, CACHE_DIR: fx.cacheDir, TILE_SIZE: '64', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Kill it the moment its temporary folder appears: mid-pyramid or mid-tiles.
    let entries: string[] = [];
    const deadline = Date.now() + 20_000;
    while (!entries.some((n) => n.startsWith('.tmp-')) && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
      entries = await cacheEntries();
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Only the half-written temporary folder (and the source's hash record) is there.
    const left = await cacheEntries();
    expect(left.filter((n) => n !== 'source.json')).toEqual([expect.stringMatching(/^\.tmp-/)]);

    // A restarted service does not serve from it, removes it and builds the derivative.
    const images = createImageBackend(fx.config({ TILE_SIZE: '64' }), pino({ level: 'silent' }), {
      revalidateMs: 0,
      ingestOnDemand: false,
    });
    try {
      const source = await images.source('page');
      expect((await images.image(source, tilePlan(0, 0, 64, 64, 64, 64))).origin).toBe('render');
      expect(await images.ingestAll()).toMatchObject({ images: 1, built: 1, failed: 0 });
      const after = await cacheEntries();
      expect(after.some((n) => n.startsWith('.tmp-'))).toBe(false);
      expect(after.filter((n) => n !== 'source.json')).toHaveLength(1);
      expect((await images.image(source, tilePlan(64, 64, 64, 64, 64, 64))).origin).toBe('store');
    } finally {
      await images.close();
    }
  }, 60_000);
});
