import { fitToLimits, resolveSize, type PlanContext } from './plan.js';
import { formatRotation } from './rotation.js';
import type { ImagePlan } from './types.js';

/**
 * The canonical form of a planned request, `{region}/{size}/{rotation}/{quality}.{format}`
 * (3.0 §4.8, 2.1 §4.7). Every equivalent request has the same canonical form, so it keys
 * the ETag and the `Link: rel="canonical"` header.
 */
export function canonicalPath(plan: ImagePlan, ctx: PlanContext): string {
  return [
    canonicalRegion(plan, ctx),
    ctx.version === 3 ? canonicalSize3(plan, ctx) : canonicalSize2(plan, ctx),
    formatRotation({ mirror: plan.mirror, degrees: plan.rotation }),
    `${plan.quality}.${plan.format}`,
  ].join('/');
}

/** `full` when the whole image is requested (a square region of a square image too), else x,y,w,h. */
function canonicalRegion(plan: ImagePlan, ctx: PlanContext): string {
  const { x, y, w, h } = plan.region;
  if (x === 0 && y === 0 && w === ctx.width && h === ctx.height) return 'full';
  return `${x},${y},${w},${h}`;
}

/** 3.0: `max`, `^max`, else `w,h`, prefixed with ^ when the region is upscaled. */
function canonicalSize3(plan: ImagePlan, ctx: PlanContext): string {
  const { w: rw, h: rh } = plan.region;
  const same = (s: { width: number; height: number }) => s.width === plan.width && s.height === plan.height;
  if (same(fitToLimits(rw, rh, ctx.limits, false))) return 'max';
  const upscaled = plan.width > rw || plan.height > rh;
  if (upscaled && same(fitToLimits(rw, rh, ctx.limits, true))) return '^max';
  return `${upscaled ? '^' : ''}${plan.width},${plan.height}`;
}

/** 2.1: `full` for the region unscaled, `w,` when the aspect ratio is kept, else `w,h`. */
function canonicalSize2(plan: ImagePlan, ctx: PlanContext): string {
  if (plan.width === plan.region.w && plan.height === plan.region.h) return 'full';
  const byWidth = resolveSize({ kind: 'width', w: plan.width, upscale: true }, plan.region, {
    ...ctx,
    // The aspect question is about geometry only; limits were checked when planning.
    limits: { maxWidth: Infinity, maxHeight: Infinity, maxArea: Infinity },
  });
  return byWidth.height === plan.height ? `${plan.width},` : `${plan.width},${plan.height}`;
}
