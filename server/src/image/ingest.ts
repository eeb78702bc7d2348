import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CacheDir } from './cache-dir.js';
import { tempOwner } from './cache-dir.js';
import {
  CorruptDerivativeError,
  DERIVATIVE_FORMAT,
  derivativeDirName,
  loadDerivative,
  MANIFEST_FILE,
  PACK_FILE,
  PYRAMID_FILE,
  tileKey,
  tileSha,
  type Derivative,
  type DerivativeManifest,
} from './derivative.js';
import { encodeTile, renderBand, writePyramid, type PixelInput } from './render.js';
import type { SourceFile } from './sources.js';
import { gridTiles, type GridTile } from './tile-grid.js';

export interface IngestOptions {
  cache: CacheDir;
  tileSize: number;
  inputPixels: number;
  /** Called after each row of tiles. */
  onProgress?: (tilesDone: number, tilesTotal: number) => void;
  /** Checked between rows: a shutdown abandons the build (its temporary folder is removed). */
  signal?: AbortSignal;
}

export interface IngestResult {
  derivative: Derivative;
  /** False when a finished derivative was already there. */
  built: boolean;
  tiles: number;
  /** Bytes of the pyramid and the tile pack. */
  bytes: number;
}

/** The input that reads a source file as found. */
export function sourceInput(source: SourceFile, inputPixels: number): PixelInput {
  return {
    path: source.path,
    width: source.width,
    height: source.height,
    levels: [{ page: 0, width: source.width, height: source.height }],
    isSource: true,
    inputPixels,
  };
}

export function derivativeDir(cache: CacheDir, source: Pick<SourceFile, 'id' | 'key'>, tileSize: number): string {
  return path.join(cache.dirOf(source.id), derivativeDirName(source.key, tileSize));
}

/** The finished derivative of a source if one is on disk (deleting a corrupt one), else null. */
export async function findDerivative(source: SourceFile, opts: Pick<IngestOptions, 'cache' | 'tileSize' | 'inputPixels'>): Promise<Derivative | null> {
  const dir = derivativeDir(opts.cache, source, opts.tileSize);
  try {
    return await loadDerivative(dir, { id: source.id, key: source.key, tileSize: opts.tileSize, inputPixels: opts.inputPixels });
  } catch (err) {
    if (!(err instanceof CorruptDerivativeError)) throw err;
    await rm(dir, { recursive: true, force: true });
    return null;
  }
}

/**
 * Builds (once) the derivative of a source: the pyramidal TIFF, then every tile of the
 * advertised grid cut from it, then the manifest, all in a temporary folder that is renamed
 * into place only when complete. A concurrent build of the same source by another process
 * is harmless: whichever rename comes second is dropped.
 */
export async function ingestSource(source: SourceFile, opts: IngestOptions): Promise<IngestResult> {
  const existing = await findDerivative(source, opts);
  const grid = gridTiles(source.width, source.height, opts.tileSize);
  if (existing) {
    return { derivative: existing, built: false, tiles: existing.manifest.tiles.length, bytes: existing.manifest.pyramidBytes + existing.manifest.packBytes };
  }
  const finalDir = derivativeDir(opts.cache, source, opts.tileSize);
  await mkdir(path.dirname(finalDir), { recursive: true });
  const tmp = await opts.cache.makeTempDir(finalDir);
  try {
    const pyramid = await writePyramid(sourceInput(source, opts.inputPixels), path.join(tmp, PYRAMID_FILE), opts.tileSize);
    const input: PixelInput = {
      path: path.join(tmp, PYRAMID_FILE),
      width: source.width,
      height: source.height,
      levels: pyramid.levels,
      isSource: false,
      inputPixels: opts.inputPixels,
    };
    const { tiles, packBytes } = await writeTiles(input, grid, path.join(tmp, PACK_FILE), opts);
    const manifest: DerivativeManifest = {
      format: DERIVATIVE_FORMAT,
      id: source.id,
      key: source.key,
      width: source.width,
      height: source.height,
      tileSize: opts.tileSize,
      levels: pyramid.levels,
      pyramidBytes: pyramid.bytes,
      packBytes,
      tiles,
      createdAt: new Date().toISOString(),
    };
    // The marker goes last: until it exists, nothing reads this folder.
    const fh = await open(path.join(tmp, MANIFEST_FILE), 'w');
    try {
      await fh.writeFile(JSON.stringify(manifest));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, finalDir);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      // Another process finished first; its derivative is as good as ours.
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  await removeOtherVersions(opts.cache, source.id, path.basename(finalDir));
  const derivative = await findDerivative(source, opts);
  if (!derivative) throw new CorruptDerivativeError(`${finalDir}: missing right after it was written`);
  return {
    derivative,
    built: true,
    tiles: derivative.manifest.tiles.length,
    bytes: derivative.manifest.pyramidBytes + derivative.manifest.packBytes,
  };
}

/**
 * Every grid tile, level by level and row by row: each row of a level is decoded once into
 * memory (a band one tile high) and its tiles are cut and encoded from it, so memory stays
 * at one band whatever the image size.
 */
async function writeTiles(
  input: PixelInput,
  grid: readonly GridTile[],
  packPath: string,
  opts: IngestOptions,
): Promise<{ tiles: [string, number, number, string][]; packBytes: number }> {
  const rows = new Map<string, GridTile[]>();
  for (const tile of grid) {
    const rowKey = `${tile.scaleFactor}/${tile.row}`;
    let row = rows.get(rowKey);
    if (!row) rows.set(rowKey, (row = []));
    row.push(tile);
  }
  const records: [string, number, number, string][] = [];
  let offset = 0;
  let done = 0;
  const fh = await open(packPath, 'w');
  try {
    for (const row of rows.values()) {
      opts.signal?.throwIfAborted();
      const first = row[0]!;
      const s = first.scaleFactor;
      const levelWidth = Math.ceil(input.width / s);
      const levelHeight = Math.ceil(input.height / s);
      const top = first.row * opts.tileSize;
      const band = await renderBand(input, levelWidth, levelHeight, top, first.height);
      const bodies = await Promise.all(row.map((t) => encodeTile(band, t.column * opts.tileSize, t.width)));
      for (let i = 0; i < row.length; i++) {
        const t = row[i]!;
        const body = bodies[i]!;
        await fh.write(body, 0, body.length, offset);
        records.push([tileKey(t.region, t.width, t.height), offset, body.length, tileSha(body)]);
        offset += body.length;
      }
      done += row.length;
      opts.onProgress?.(done, grid.length);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { tiles: records, packBytes: offset };
}

/** Derivatives of earlier versions of a source are dropped once the new one is in place. */
async function removeOtherVersions(cache: CacheDir, id: string, keep: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(cache.dirOf(id));
  } catch {
    return;
  }
  for (const name of names) {
    if (name === keep || name === 'source.json' || tempOwner(name) !== null) continue;
    await rm(path.join(cache.dirOf(id), name), { recursive: true, force: true }).catch(() => undefined);
  }
}
