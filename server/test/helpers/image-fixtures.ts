import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import type { ImagePlan } from '../../src/image/types.js';

export interface PixelFixture {
  readonly root: string;
  readonly imagesDir: string;
  readonly cacheDir: string;
  config(env?: Readonly<Record<string, string>>): Config;
  remove(): Promise<void>;
}

/** Fresh IMAGES_DIR and CACHE_DIR folders, and configurations pointing at them (small tiles). */
export async function pixelFixture(): Promise<PixelFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'iiif-pixels-'));
  const imagesDir = path.join(root, 'images');
  const cacheDir = path.join(root, 'cache');
  await mkdir(imagesDir);
  return {
    root,
    imagesDir,
    cacheDir,
    config: (env = {}) =>
      loadConfig({
        LOG_LEVEL: 'silent',
        INGEST_ON_START: 'false',
        TILE_SIZE: '64',
        IMAGES_DIR: imagesDir,
        CACHE_DIR: cacheDir,
        ...env,
      }),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A plan with the defaults of a plain tile request (no rotation, default quality, JPEG). */
export function tilePlan(x: number, y: number, w: number, h: number, width: number, height: number): ImagePlan {
  return { region: { x, y, w, h }, width, height, mirror: false, rotation: 0, quality: 'default', format: 'jpg' };
}
