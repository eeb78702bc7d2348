import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createApp } from '../../src/app.js';
import { type Config, loadConfig, projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import { createImageBackend } from '../../src/image/backend.js';
import type { ImageBackend } from '../../src/image/types.js';
import type { RawResponse } from '../helpers/http.js';
import { listen, memoryLogger } from '../http/listen.js';
import fc from 'fast-check';
import { type FuzzCase, type FuzzImage, imageCases } from './fuzz-cases.js';
import { webCases } from './web-cases.js';
import { tempDir } from './service-process.js';

/** Small images with distinct shapes, formats and identifier characters. */
export const fuzzImages: readonly (FuzzImage & { file: string; channels: 3 | 4 })[] = [
  { id: 'p1', file: 'p1.jpg', width: 300, height: 200, channels: 3 },
  { id: 'leaf_2.v2', file: 'leaf_2.v2.png', width: 131, height: 97, channels: 4 },
  { id: 'L-003', file: 'L-003.tif', width: 90, height: 260, channels: 3 },
];

/**
 * A gradient (red grows with x, green with y) with blocks in blue, so every region decodes to
 * something non-trivial; `smooth` leaves the blocks out, for pixel checks through JPEG.
 */
export async function writeTestImage(dir: string, image: (typeof fuzzImages)[number], smooth = false): Promise<void> {
  const { width, height, channels } = image;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = smooth ? 128 : ((x >> 4) + (y >> 4)) % 2 ? 220 : 30;
      if (channels === 4) data[i + 3] = 255 - ((x * 200) / width);
    }
  }
  await sharp(data, { raw: { width, height, channels } }).toFile(path.join(dir, image.file));
}

/** A stand-in for the Vite build: its manifest, one script and one stylesheet per page. */
async function writeViewerBuild(dir: string): Promise<void> {
  await mkdir(path.join(dir, '.vite'), { recursive: true });
  await mkdir(path.join(dir, 'assets'));
  const manifest: Record<string, { file: string; css: string[] }> = {};
  for (const page of ['document', 'embed']) {
    manifest[`${page}.html`] = { file: `assets/${page}-0a1b2c.js`, css: [`assets/${page}-0a1b2c.css`] };
    await writeFile(path.join(dir, 'assets', `${page}-0a1b2c.js`), `console.log(${JSON.stringify(page)});\n`);
    await writeFile(path.join(dir, 'assets', `${page}-0a1b2c.css`), 'body { margin: 0 }\n');
  }
  await writeFile(path.join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
  await writeFile(path.join(dir, 'document.html'), '<!doctype html><title>template</title>');
}

export interface FuzzTarget {
  url: string;
  /** The temporary folder holding images/, cache/, manifests/ and viewer-dist/. */
  root: string;
  config: Config;
  documents: readonly ArchivalDocument[];
  /** A file next to IMAGES_DIR (outside every served folder) that must never be served. */
  sentinel: { path: string; content: string };
  close: () => Promise<void>;
}

/**
 * The whole service in this process (createApp, the real image backend and the real
 * documents) over small generated images in a temporary IMAGES_DIR and CACHE_DIR.
 */
export interface FuzzTargetOptions {
  /** Extra environment for loadConfig (limits, render gate). */
  env?: Record<string, string>;
  /** Wraps the image backend, e.g. to record which plans reach the pixel layer. */
  wrap?: (images: ImageBackend) => ImageBackend;
  /** Extra files for IMAGES_DIR, written before the service starts. */
  extraImages?: (imagesDir: string) => Promise<void>;
}

export async function startFuzzTarget({ env = {}, wrap = (b) => b, extraImages }: FuzzTargetOptions = {}): Promise<FuzzTarget> {
  const root = await tempDir('fuzz');
  const imagesDir = path.join(root.dir, 'images');
  const cacheDir = path.join(root.dir, 'cache');
  const manifestsDir = path.join(root.dir, 'manifests');
  const viewerDist = path.join(root.dir, 'viewer-dist');
  await mkdir(imagesDir);
  await Promise.all(fuzzImages.map((image) => writeTestImage(imagesDir, image)));
  // The real document data, copied so that sentinels can sit right next to it.
  await cp(loadConfig({}).manifestsDir, manifestsDir, { recursive: true });
  await writeViewerBuild(viewerDist);
  // The document's leaves, as small stand-ins with the pages' proportions (manifests and search need them).
  const documents = await loadDocuments(manifestsDir);
  const leafImages = [...new Set(documents.flatMap((d) => d.leaves.map((l) => l.image)))];
  await Promise.all(
    leafImages.map((id) => writeTestImage(imagesDir, { id, file: `${id}.jpg`, width: 331, height: 468, channels: 3 })),
  );
  // Sentinels beside and inside every served folder's parent: none may ever be served.
  const sentinel = { path: path.join(root.dir, 'secret.txt'), content: `sentinel-${process.pid}-outside-the-served-folders` };
  await writeFile(sentinel.path, sentinel.content);
  for (const doc of documents) {
    await writeFile(path.join(doc.dir, '..', 'secret.txt'), sentinel.content);
    await writeFile(path.join(doc.dir, 'secret.txt'), sentinel.content); // in the folder, but not published
  }
  await writeFile(path.join(viewerDist, '.vite', 'secret.txt'), sentinel.content);
  // A sentinel image too: its identifier is the file stem, one folder above IMAGES_DIR.
  await writeTestImage(root.dir, { id: 'outside', file: 'outside.png', width: 10, height: 10, channels: 3 });
  // A link in IMAGES_DIR to that image: served only if it stayed inside the folder.
  await symlink(path.join('..', 'outside.png'), path.join(imagesDir, 'link.png'));
  await extraImages?.(imagesDir);

  const config = loadConfig({
    IMAGES_DIR: imagesDir,
    CACHE_DIR: cacheDir,
    MANIFESTS_DIR: manifestsDir,
    INGEST_ON_START: 'false',
    TILE_SIZE: '128',
    RENDER_CONCURRENCY: '2',
    RENDER_QUEUE: '1000',
    ...env,
  });
  const { logger } = memoryLogger('silent');
  const images = createImageBackend(config, logger);
  const server = await listen(createApp({ config, logger, images: wrap(images), documents, viewerDist }));
  return {
    url: server.url,
    root: root.dir,
    config,
    documents,
    sentinel,
    close: async () => {
      await server.close();
      await images.close();
      await root.remove();
    },
  };
}

/** The Image API cases (three in four) and the rest of the service's URLs, for this target. */
export function fuzzCases(target: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const doc = target.documents[0];
  if (!doc) throw new Error('the fuzz target has no document');
  const files = doc.leaves.flatMap((l) => [l.transcription.file, ...(l.translation ? [l.translation.file] : [])]);
  return fc.oneof(
    { arbitrary: imageCases(fuzzImages), weight: 3 },
    { arbitrary: webCases({ documentId: doc.id, files }), weight: 1 },
  );
}

/**
 * What is wrong with the answer to one fuzz case (none: an empty list). The status must be one
 * the spec allows for the case, and no 5xx but the spec's 501 (a valid request for a feature
 * not offered); an error is plain text naming no local folder and carrying no stack trace; a
 * valid image request that succeeds answers an image. Shared by the test and `npm run fuzz`.
 */
export function problems(c: FuzzCase, res: Pick<RawResponse, 'status' | 'headers' | 'body'>, target: Pick<FuzzTarget, 'config'>): string[] {
  const found: string[] = [];
  if (!c.expected.includes(res.status)) found.push(`status ${res.status}, expected ${c.expected.join(' or ')}`);
  if (res.status >= 500 && res.status !== 501) found.push(`server error ${res.status}`);
  const type = res.headers['content-type'];
  if (res.status >= 400) {
    const text = res.body.toString('utf8');
    if (text.includes(projectRoot) || text.includes(target.config.imagesDir)) found.push('the body names a local folder');
    if (/\n\s+at /.test(text)) found.push('the body carries a stack trace');
    if (type !== 'text/plain; charset=utf-8') found.push(`error as ${type ?? 'no Content-Type'}, not plain text`);
  } else if (res.status === 200 && c.kind.startsWith('valid')) {
    if (!type?.startsWith('image/') && type !== 'application/pdf') found.push(`answered ${type ?? 'no Content-Type'}, not an image`);
    if (res.body.length === 0) found.push('empty image');
  }
  return found;
}
