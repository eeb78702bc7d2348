import sharp, { type Sharp } from 'sharp';
import type { Format, ImagePlan, PixelBox } from './types.js';

/**
 * The one place where pixels are touched: every sharp pipeline of the service (source
 * metadata, the pyramid derivative, the tile set, and request rendering) lives here.
 */

// libvips' operation cache would keep decoded images of replaced derivatives alive and
// hold memory outside our bounded caches; our own caches are keyed by content instead.
sharp.cache(false);

/** JPEG quality of the pyramid (re-encoded once more for tiles, so kept high). */
const PYRAMID_QUALITY = 90;
/** JPEG quality of tiles and renders. */
const OUTPUT_QUALITY = 80;
/** Below this many output pixels, Huffman optimisation costs more time than it saves bytes. */
const OPTIMISE_CODING_ABOVE = 1024 * 1024;

/**
 * File extensions (lower case) of the image formats accepted as sources, in order of
 * preference when two files share a stem: lossless first.
 */
export const sourceExtensions: readonly string[] = ['.tif', '.tiff', '.png', '.webp', '.jpg', '.jpeg'];

export interface SourceMetadata {
  /** Full size after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly format: string;
}

/** One resolution of an image, as a page of a file. */
export interface Level {
  readonly page: number;
  readonly width: number;
  readonly height: number;
}

/** Where a render reads its pixels: a source file as found, or our pyramid derivative. */
export interface PixelInput {
  readonly path: string;
  /** Full size in the image's own (oriented) coordinates. */
  readonly width: number;
  readonly height: number;
  /** Resolutions available, largest first; a plain source has only page 0. */
  readonly levels: readonly Level[];
  /**
   * A source as found needs orientation, flattening and sRGB conversion on every read; the
   * derivative had all of that done once at ingest, so its renders keep its profile as is.
   */
  readonly isSource: boolean;
  /** sharp's decoder limit (width × height). */
  readonly inputPixels: number;
}

/** Raised when the input cannot be decoded: a corrupt or truncated file, never the client's fault. */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot decode ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Raised for a source larger than the input pixel limit: refused by policy, never decoded. */
export class SourceTooLargeError extends Error {
  override name = 'SourceTooLargeError';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly limit: number,
  ) {
    super(`${width}×${height} pixels exceeds the input pixel limit of ${limit}`);
  }
}

/** Raised when libvips aborted a render that ran past its time budget. */
export class RenderTimeoutError extends Error {
  override name = 'RenderTimeoutError';
}

function open(input: PixelInput, page: number): Sharp {
  return sharp(input.path, {
    page,
    autoOrient: input.isSource,
    failOn: 'error',
    limitInputPixels: input.inputPixels,
    // A tiled TIFF is read by random access; plain sources decode top to bottom anyway.
    sequentialRead: input.isSource,
  });
}

/** Pixel errors become typed errors so callers can tell a damaged file from a timeout. */
async function run<T>(path: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    // libvips reports its own abort as "timeout: NN% complete" (sharp's timeout option).
    if (err instanceof Error && /(^|\n)timeout: \d+% complete/.test(err.message)) throw new RenderTimeoutError(err.message);
    throw new UnreadableImageError(path, err);
  }
}

/** Size and format of a source, read from its header. */
export async function readSourceMetadata(path: string, inputPixels: number): Promise<SourceMetadata> {
  // Only the header is read here, so the limit is checked below, with a clearer answer.
  const meta = await run(path, sharp(path, { limitInputPixels: false, failOn: 'error' }).metadata());
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new UnreadableImageError(path, new Error('no dimensions in header'));
  if (width * height > inputPixels) throw new SourceTooLargeError(width, height, inputPixels);
  return { width, height, format: meta.format };
}

/**
 * Writes the tiled, JPEG-compressed pyramidal TIFF derivative of a source: oriented,
 * flattened on white, 8-bit sRGB, so renders from it need no colour work at all.
 */
export async function writePyramid(
  input: PixelInput,
  dest: string,
  tileSize: number,
): Promise<{ bytes: number; levels: Level[] }> {
  // TIFF tiles must be multiples of 16; the grid's own size keeps one grid tile in one TIFF tile.
  const tiffTile = tileSize % 16 === 0 ? tileSize : 256;
  const info = await run(
    input.path,
    open(input, 0)
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .tiff({
        tile: true,
        tileWidth: tiffTile,
        tileHeight: tiffTile,
        pyramid: true,
        compression: 'jpeg',
        quality: PYRAMID_QUALITY,
      })
      .toFile(dest),
  );
  return { bytes: info.size, levels: await readLevels(dest, input.inputPixels) };
}

/** The resolutions stored in a pyramidal TIFF, page by page, largest first. */
export async function readLevels(path: string, inputPixels: number): Promise<Level[]> {
  const first = await run(path, sharp(path, { limitInputPixels: inputPixels }).metadata());
  const levels: Level[] = [{ page: 0, width: first.width, height: first.height }];
  for (let page = 1; page < (first.pages ?? 1); page++) {
    const meta = await run(path, sharp(path, { page, limitInputPixels: inputPixels }).metadata());
    levels.push({ page, width: meta.width, height: meta.height });
  }
  return levels;
}

/**
 * The smallest level that still has at least the requested resolution in both directions
 * (the "nearest above"), so no render ever upsamples a level when a larger one exists.
 */
export function chooseLevel(input: Pick<PixelInput, 'width' | 'height' | 'levels'>, scaleX: number, scaleY: number): Level {
  let best = input.levels[0]!;
  for (const level of input.levels) {
    if (level.width / input.width >= scaleX && level.height / input.height >= scaleY) best = level;
  }
  return best;
}

/** A full-resolution box mapped onto a level, widened to whole level pixels. */
export function boxOnLevel(box: PixelBox, input: Pick<PixelInput, 'width' | 'height'>, level: Level): PixelBox {
  const fx = level.width / input.width;
  const fy = level.height / input.height;
  const left = Math.min(level.width - 1, Math.floor(box.x * fx));
  const top = Math.min(level.height - 1, Math.floor(box.y * fy));
  const right = Math.max(left + 1, Math.min(level.width, Math.ceil((box.x + box.w) * fx - 1e-9)));
  const bottom = Math.max(top + 1, Math.min(level.height, Math.ceil((box.y + box.h) * fy - 1e-9)));
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/** Extract a full-resolution box from the best level and scale it to exactly width × height. */
function regionPipeline(input: PixelInput, box: PixelBox, width: number, height: number): Sharp {
  const level = chooseLevel(input, width / box.w, height / box.h);
  const area = boxOnLevel(box, input, level);
  let img = open(input, level.page);
  if (area.x !== 0 || area.y !== 0 || area.w !== level.width || area.h !== level.height) {
    img = img.extract({ left: area.x, top: area.y, width: area.w, height: area.h });
  }
  if (area.w !== width || area.h !== height) img = img.resize(width, height, { fit: 'fill' });
  if (input.isSource) img = img.flatten({ background: '#ffffff' }).toColourspace('srgb');
  return img;
}

/** Formats whose rotated corners are transparent (Image API 3.0 §4.3); JPEG gets white. */
const transparentFormats: ReadonlySet<Format> = new Set(['png', 'webp', 'tif', 'gif']);

function encode(img: Sharp, format: Format, pixels: number): Sharp {
  switch (format) {
    case 'jpg':
      return img.jpeg({ quality: OUTPUT_QUALITY, optimiseCoding: pixels > OPTIMISE_CODING_ABOVE });
    case 'png':
      return img.png({ compressionLevel: 6, adaptiveFiltering: false });
    case 'webp':
      return img.webp({ quality: OUTPUT_QUALITY, effort: 2 });
    case 'tif':
      return img.tiff({ compression: 'lzw' });
    case 'gif':
      return img.gif();
    case 'jp2':
    case 'pdf':
      // Not sharp's: output.ts makes them from renderRaw's pixels or from a JPEG render.
      throw new Error(`renderPlan cannot write ${format}`);
  }
}

/**
 * The pixels of a plan in the order of Image API 3.0 §4.6: region and size (from the nearest
 * level above), mirror, rotation, quality; the format is left to the caller.
 */
function planPipeline(input: PixelInput, plan: ImagePlan): Sharp {
  let img = regionPipeline(input, plan.region, plan.width, plan.height);
  if (plan.mirror) img = img.flop();
  if (plan.rotation !== 0) {
    const background = transparentFormats.has(plan.format) ? { r: 255, g: 255, b: 255, alpha: 0 } : '#ffffff';
    img = img.rotate(plan.rotation, { background });
  }
  if (plan.quality === 'gray') img = img.grayscale();
  else if (plan.quality === 'bitonal') img = img.threshold(128);
  return img;
}

/** libvips' own time limit, so that a runaway render frees its worker, not merely its caller. */
function limited(img: Sharp, timeoutSeconds: number): Sharp {
  return img.timeout({ seconds: Math.max(1, Math.ceil(timeoutSeconds)) });
}

/**
 * Renders a plan to one of sharp's formats (not jp2 or pdf). `timeoutSeconds` lets libvips
 * abort a runaway render so its worker is freed, not merely abandoned.
 */
export async function renderPlan(input: PixelInput, plan: ImagePlan, timeoutSeconds: number): Promise<Buffer> {
  const img = encode(planPipeline(input, plan), plan.format, plan.width * plan.height);
  return run(input.path, limited(img, timeoutSeconds).toBuffer());
}

/** Uncompressed 8-bit pixels, interleaved row by row: what a non-sharp encoder starts from. */
export interface RawImage {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 1 for the grey and bitonal qualities, 3 (sRGB) otherwise. */
  readonly channels: 1 | 3;
}

/** A plan rendered to raw pixels (white behind rotated corners, no alpha), for the JP2 encoder. */
export async function renderRaw(input: PixelInput, plan: ImagePlan, timeoutSeconds: number): Promise<RawImage> {
  const grey = plan.quality === 'gray' || plan.quality === 'bitonal';
  const img = planPipeline(input, plan).removeAlpha().toColourspace(grey ? 'b-w' : 'srgb').raw();
  const { data, info } = await run(input.path, limited(img, timeoutSeconds).toBuffer({ resolveWithObject: true }));
  if (info.channels !== 1 && info.channels !== 3) throw new Error(`unexpected ${info.channels}-channel render`);
  return { pixels: data, width: info.width, height: info.height, channels: info.channels };
}

/** Raw pixels as the JPEG that a `jpg` request would get: its size is the JP2 encoder's budget. */
export function jpegOfRaw(image: RawImage): Promise<Buffer> {
  const { width, height, channels } = image;
  const img = sharp(image.pixels, { raw: { width, height, channels } }).jpeg({
    quality: OUTPUT_QUALITY,
    optimiseCoding: width * height > OPTIMISE_CODING_ABOVE,
  });
  return run('raw pixels', img.toBuffer());
}

/** A horizontal band of one grid level, as raw pixels, for cutting into tiles. */
export interface Band {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

/**
 * Rows [top, top + height) of the whole image scaled to levelWidth × levelHeight (a grid
 * level), decoded once so that every tile of the row is cut from memory.
 */
export async function renderBand(
  input: PixelInput,
  levelWidth: number,
  levelHeight: number,
  top: number,
  height: number,
): Promise<Band> {
  const box = { x: 0, y: 0, w: input.width, h: input.height };
  const img = regionPipeline(input, box, levelWidth, levelHeight).extract({
    left: 0,
    top,
    width: levelWidth,
    height,
  });
  const { data, info } = await run(input.path, img.raw().toBuffer({ resolveWithObject: true }));
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** One grid tile, cut from a band and encoded as the JPEG a viewer asks for. */
export function encodeTile(band: Band, left: number, width: number): Promise<Buffer> {
  const img = sharp(band.data, { raw: { width: band.width, height: band.height, channels: band.channels } })
    .extract({ left, top: 0, width, height: band.height })
    .jpeg({ quality: OUTPUT_QUALITY, optimiseCoding: false });
  return run('tile', img.toBuffer());
}
