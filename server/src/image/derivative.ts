import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Level, PixelInput } from './render.js';
import type { ImagePlan, PixelBox } from './types.js';

/**
 * A derivative on disk, one folder per (source content key, tile size):
 *   pyramid.tif    tiled, JPEG-compressed pyramidal TIFF, sRGB (renders read it)
 *   tiles.bin      every tile of the advertised grid, JPEG, back to back
 *   complete.json  the manifest below, written last: a folder without it is never used
 * The folder is built under a temporary name and renamed into place when whole.
 */
export const DERIVATIVE_FORMAT = 1;
export const PYRAMID_FILE = 'pyramid.tif';
export const PACK_FILE = 'tiles.bin';
export const MANIFEST_FILE = 'complete.json';

export interface DerivativeManifest {
  readonly format: typeof DERIVATIVE_FORMAT;
  readonly id: string;
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly tileSize: number;
  readonly levels: readonly Level[];
  readonly pyramidBytes: number;
  readonly packBytes: number;
  /** [tile key, offset in tiles.bin, length, SHA-256 prefix of the bytes] in grid order. */
  readonly tiles: readonly (readonly [string, number, number, string])[];
  readonly createdAt: string;
}

export interface TileRecord {
  readonly offset: number;
  readonly length: number;
  readonly sha: string;
}

export interface Derivative {
  readonly dir: string;
  readonly manifest: DerivativeManifest;
  readonly tiles: ReadonlyMap<string, TileRecord>;
  /** What renders read instead of the source. */
  readonly input: PixelInput;
}

/** A derivative whose files do not match its manifest: it is deleted and rebuilt. */
export class CorruptDerivativeError extends Error {
  override name = 'CorruptDerivativeError';
}

export function derivativeDirName(key: string, tileSize: number): string {
  return `${key}-${tileSize}`;
}

/**
 * The store key of a plan if it can be a stored tile: no rotation or mirroring, the default
 * (= colour) quality, JPEG. Whether it is one is decided by an exact match of region and
 * output size against the stored set, so any request form that asks for the same pixels
 * (3.0 `w,h`, 2.1 `w,` when its rounding gives the same height, `full`, `max`) finds it.
 */
export function tileKeyOf(plan: ImagePlan): string | null {
  if (plan.rotation !== 0 || plan.mirror || plan.format !== 'jpg') return null;
  if (plan.quality !== 'default' && plan.quality !== 'color') return null;
  return tileKey(plan.region, plan.width, plan.height);
}

/** How a stored tile is named: its full-resolution region and its output size. */
export function tileKey(region: PixelBox, width: number, height: number): string {
  return `${region.x},${region.y},${region.w},${region.h}/${width},${height}`;
}

export function tileSha(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}

/**
 * Opens a finished derivative. Null when there is none (or only a half-built one);
 * CorruptDerivativeError when its files disagree with its manifest.
 */
export async function loadDerivative(
  dir: string,
  expect: { id: string; key: string; tileSize: number; inputPixels: number },
): Promise<Derivative | null> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestFile, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    // ENOTDIR: the cache folder is not a folder at all (a misconfigured CACHE_DIR): no derivative.
    if (code === 'ENOTDIR') return null;
    if (code !== 'ENOENT') throw new CorruptDerivativeError(`${dir}: unreadable manifest`);
    const exists = await stat(dir).then(() => true, () => false);
    if (!exists) return null;
    // Folders appear only by a rename after the manifest was written, so one without it is
    // damaged, unless another process renamed it into place between the two calls above.
    try {
      text = await readFile(manifestFile, 'utf8');
    } catch {
      throw new CorruptDerivativeError(`${dir}: no manifest`);
    }
  }
  let manifest: DerivativeManifest;
  try {
    manifest = JSON.parse(text) as DerivativeManifest;
  } catch {
    throw new CorruptDerivativeError(`${dir}: unreadable manifest`);
  }
  if (
    manifest.format !== DERIVATIVE_FORMAT ||
    manifest.id !== expect.id ||
    manifest.key !== expect.key ||
    manifest.tileSize !== expect.tileSize ||
    !Array.isArray(manifest.tiles) ||
    !Array.isArray(manifest.levels) ||
    manifest.levels.length === 0
  ) {
    throw new CorruptDerivativeError(`${dir}: manifest does not describe this source`);
  }
  const sizes = await Promise.all([
    stat(path.join(dir, PYRAMID_FILE)).then((s) => s.size, () => -1),
    stat(path.join(dir, PACK_FILE)).then((s) => s.size, () => -1),
  ]);
  if (sizes[0] !== manifest.pyramidBytes || sizes[1] !== manifest.packBytes) {
    throw new CorruptDerivativeError(`${dir}: file sizes differ from the manifest`);
  }
  const tiles = new Map<string, TileRecord>();
  for (const [key, offset, length, sha] of manifest.tiles) {
    tiles.set(key, { offset, length, sha });
  }
  return {
    dir,
    manifest,
    tiles,
    input: {
      path: path.join(dir, PYRAMID_FILE),
      width: manifest.width,
      height: manifest.height,
      levels: manifest.levels,
      isSource: false,
      inputPixels: expect.inputPixels,
    },
  };
}

/** A stored tile's bytes, checked against its recorded hash (a damaged pack is never served). */
export async function readTile(derivative: Derivative, tile: TileRecord): Promise<Buffer> {
  const body = Buffer.allocUnsafe(tile.length);
  let bytesRead = 0;
  try {
    const fh = await open(path.join(derivative.dir, PACK_FILE), 'r');
    try {
      ({ bytesRead } = await fh.read(body, 0, tile.length, tile.offset));
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new CorruptDerivativeError(`${derivative.dir}: cannot read tiles (${(err as Error).message})`);
  }
  if (bytesRead !== tile.length || tileSha(body) !== tile.sha) {
    throw new CorruptDerivativeError(`${derivative.dir}: a stored tile does not match its hash`);
  }
  return body;
}
