import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import { writeTestImage } from './fuzz-target.js';
import { tempDir } from './service-process.js';

export interface ServiceDirs {
  root: string;
  imagesDir: string;
  cacheDir: string;
  remove: () => Promise<void>;
}

export interface ImageSpec {
  id: string;
  width: number;
  height: number;
  /** Default jpg. */
  ext?: 'jpg' | 'png' | 'tif';
}

/**
 * A temporary IMAGES_DIR and CACHE_DIR for a child-process service: small stand-ins for the
 * document's leaves (start-up checks the manifests against them) and the given images.
 */
export async function serviceDirs(images: readonly ImageSpec[]): Promise<ServiceDirs> {
  const root = await tempDir('service');
  const imagesDir = path.join(root.dir, 'images');
  const cacheDir = path.join(root.dir, 'cache');
  await mkdir(imagesDir);
  const documents = await loadDocuments(loadConfig({}).manifestsDir);
  const leaves = [...new Set(documents.flatMap((d) => d.leaves.map((l) => l.image)))].map(
    (id): ImageSpec => ({ id, width: 200, height: 283 }),
  );
  for (const spec of [...leaves, ...images]) {
    const ext = spec.ext ?? 'jpg';
    await writeTestImage(imagesDir, { id: spec.id, file: `${spec.id}.${ext}`, width: spec.width, height: spec.height, channels: 3 }, true);
  }
  return { root: root.dir, imagesDir, cacheDir, remove: root.remove };
}
