import type { Limits } from '../config.js';
import { invalid } from './numbers.js';
import { resolveRegion } from './region.js';
import { formatRotation, rotatedSize, type RotationRequest } from './rotation.js';
import type { ImageRequest } from './request.js';
import { formatSize, type SizeRequest } from './size.js';
import { scaleFactors } from './tile-grid.js';
import type { ImagePlan, PixelBox } from './types.js';
import type { ApiVersion } from './version.js';

/** What planning needs besides the request: the image's size, the output limits and the tile grid. */
export interface PlanContext {
  readonly version: ApiVersion;
  readonly width: number;
  readonly height: number;
  readonly limits: Pick<Limits, 'maxWidth' | 'maxHeight' | 'maxArea'>;
  /** The advertised tile size, so that a 2.1 client naming a grid tile by its width gets that tile. */
  readonly tileSize: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * Resolves a parsed request against one image, in the order of Image API 3.0 §4.6 (region,
 * then size, then rotation, quality, format), before any pixel is touched. Every impossible
 * request is refused here with a 400 naming the parameter: a region outside the image, an
 * upscale without `^` (3.0), or an output above maxWidth/maxHeight/maxArea (§4.2: "greater
 * than the server-imposed limits … SHOULD result in a 400").
 */
export function planImage(request: ImageRequest, ctx: PlanContext): ImagePlan {
  const region = resolveRegion(request.region, ctx.width, ctx.height);
  const { width, height } = resolveSize(request.size, region, ctx);
  checkRotatedSize(request.rotation, width, height, ctx.limits);
  return {
    region,
    width,
    height,
    mirror: request.rotation.mirror,
    rotation: request.rotation.degrees,
    quality: request.quality,
    format: request.format,
  };
}

/**
 * Arbitrary rotation returns the rotated bounding box (§4.3), which for a thin region can be far
 * larger than the size that was checked: the limits bound what we allocate, so they apply to it too.
 */
function checkRotatedSize(rotation: RotationRequest, width: number, height: number, limits: PlanContext['limits']): void {
  const out = rotatedSize(width, height, rotation.degrees);
  if (out.width > limits.maxWidth || out.height > limits.maxHeight || out.width * out.height > limits.maxArea) {
    throw invalid(
      'rotation',
      formatRotation(rotation),
      `the rotated ${out.width}×${out.height} image exceeds the limits (maxWidth ${limits.maxWidth}, maxHeight ${limits.maxHeight}, maxArea ${limits.maxArea})`,
    );
  }
}

export function resolveSize(size: SizeRequest, region: PixelBox, ctx: PlanContext): Size {
  const { w: rw, h: rh } = region;
  const value = formatSize(size, ctx.version);
  let out: Size;
  switch (size.kind) {
    case 'full':
      out = { width: rw, height: rh };
      break;
    case 'max':
      out = fitToLimits(rw, rh, ctx.limits, size.upscale);
      break;
    case 'width':
      out = { width: size.w, height: heightForWidth(size.w, region, ctx) };
      break;
    case 'height':
      out = { width: widthForHeight(size.h, region, ctx), height: size.h };
      break;
    case 'percent':
      out = scaleBy(rw, rh, size.n / 100, Math.round);
      break;
    case 'exact':
      out = { width: size.w, height: size.h };
      break;
    case 'confined':
      out = confine(size.w, size.h, size.upscale, region, ctx.limits);
      break;
  }
  if (!size.upscale && (out.width > rw || out.height > rh)) {
    // 3.0 §4.2: sizes without ^ that would upscale SHOULD be a 400 (2.1 always allows it).
    throw invalid('size', value, `${out.width}×${out.height} is larger than the ${rw}×${rh} region; prefix ^ to upscale`);
  }
  const { maxWidth, maxHeight, maxArea } = ctx.limits;
  if (out.width > maxWidth || out.height > maxHeight || out.width * out.height > maxArea) {
    throw invalid(
      'size',
      value,
      `${out.width}×${out.height} exceeds the limits (maxWidth ${maxWidth}, maxHeight ${maxHeight}, maxArea ${maxArea})`,
    );
  }
  return out;
}

/**
 * `max` (and `^max` with `upscale`): the region at its own size, or scaled down (up) to the
 * largest size within maxWidth, maxHeight and maxArea, keeping the aspect ratio.
 */
export function fitToLimits(rw: number, rh: number, limits: PlanContext['limits'], upscale: boolean): Size {
  const s = limitScale(rw, rh, limits);
  if (!upscale && s >= 1) return { width: rw, height: rh };
  return withinLimits(scaleBy(rw, rh, s, floor), limits);
}

/** The largest scale at which a rw×rh region fits the limits. */
function limitScale(rw: number, rh: number, limits: PlanContext['limits']): number {
  return Math.min(limits.maxWidth / rw, limits.maxHeight / rh, Math.sqrt(limits.maxArea / (rw * rh)));
}

/** `!w,h`: as large as possible within w×h, the region (without ^) and the limits (§4.2). */
function confine(w: number, h: number, upscale: boolean, region: PixelBox, limits: PlanContext['limits']): Size {
  const { w: rw, h: rh } = region;
  let s = Math.min(w / rw, h / rh);
  if (!upscale) s = Math.min(s, 1);
  const byLimits = limitScale(rw, rh, limits);
  if (byLimits < s) return withinLimits(scaleBy(rw, rh, byLimits, floor), limits);
  if (s === 1) return { width: rw, height: rh };
  const out = scaleBy(rw, rh, s, Math.round);
  return { width: Math.min(out.width, w), height: Math.min(out.height, h) };
}

/** `w,`: the height that keeps the region's aspect ratio. */
function heightForWidth(w: number, region: PixelBox, ctx: PlanContext): number {
  for (const s of gridScales(region, ctx)) {
    if (Math.ceil(region.w / s) === w) return Math.ceil(region.h / s);
  }
  return Math.max(1, Math.round((region.h * w) / region.w));
}

/** `,h`: the width that keeps the region's aspect ratio. */
function widthForHeight(h: number, region: PixelBox, ctx: PlanContext): number {
  for (const s of gridScales(region, ctx)) {
    if (Math.ceil(region.h / s) === h) return Math.ceil(region.w / s);
  }
  return Math.max(1, Math.round((region.w * h) / region.h));
}

/**
 * The scale factors at which the region is a tile of the advertised grid (or the full image,
 * whose scaled sizes are the `sizes` of info.json). Tiles and sizes are ceil(region / s)
 * (tile-grid.ts); when a client names one by a single dimension (2.1's canonical `w,`),
 * plain rounding of the other could miss it by a pixel, so such requests get the grid tile.
 */
function gridScales(region: PixelBox, ctx: PlanContext): number[] {
  const full = region.x === 0 && region.y === 0 && region.w === ctx.width && region.h === ctx.height;
  return scaleFactors(ctx.width, ctx.height, ctx.tileSize).filter((s) => {
    if (full) return true;
    const span = ctx.tileSize * s;
    return (
      region.x % span === 0 &&
      region.y % span === 0 &&
      region.w === Math.min(span, ctx.width - region.x) &&
      region.h === Math.min(span, ctx.height - region.y)
    );
  });
}

function floor(n: number): number {
  // Absorb floating-point error such as 0.1 * 3000 = 299.99999999999994.
  return Math.floor(n + 1e-9);
}

function scaleBy(rw: number, rh: number, s: number, round: (n: number) => number): Size {
  return { width: Math.max(1, round(rw * s)), height: Math.max(1, round(rh * s)) };
}

function withinLimits(size: Size, limits: PlanContext['limits']): Size {
  const width = Math.min(size.width, limits.maxWidth);
  let height = Math.min(size.height, limits.maxHeight);
  if (width * height > limits.maxArea) height = Math.max(1, Math.floor(limits.maxArea / width));
  return { width, height };
}
