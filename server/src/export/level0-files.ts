import { canonicalPath } from '../image/canonical.js';
import { advertisedGrid, type InfoConfig } from '../image/info.js';
import { fitToLimits, type PlanContext } from '../image/plan.js';
import { gridTiles } from '../image/tile-grid.js';
import type { ImagePlan, PixelBox } from '../image/types.js';
import type { ApiVersion } from '../image/version.js';

/** One image file of a level-0 service: the paths (below the service id) that show it, and its plan. */
export interface Level0File {
  readonly paths: readonly string[];
  readonly plan: ImagePlan;
}

const jpeg = (region: PixelBox, width: number, height: number): ImagePlan => ({
  region,
  width,
  height,
  mirror: false,
  rotation: 0,
  quality: 'default',
  format: 'jpg',
});

/** 3.0 `w,h`, 2.1 `w,`: how viewers (OpenSeadragon) name a size even when it is the region's own. */
function explicitSize(plan: ImagePlan, version: ApiVersion): string {
  return version === 3 ? `${plan.width},${plan.height}` : `${plan.width},`;
}

/**
 * Every file a level-0 service of one image consists of (Image API 3.0 §6, 2.1 §6): each tile
 * and size that info.json advertises, and `full/max` (2.1 `full/full`) within the limits,
 * each at its canonical path (3.0 §4.7, 2.1 §4.7). A full-resolution tile's canonical size is
 * `max` (`full`), which viewers do not ask for: it is also written under its explicit size.
 */
export function level0Files(version: ApiVersion, image: { width: number; height: number }, config: InfoConfig): Level0File[] {
  const { width, height } = image;
  const ctx: PlanContext = { version, width, height, limits: config.limits, tileSize: config.tileSize };
  const whole = { x: 0, y: 0, w: width, h: height };
  const { sizes, tiles } = advertisedGrid(image, config);
  const plans: ImagePlan[] = [];
  if (tiles.length > 0) for (const t of gridTiles(width, height, config.tileSize)) plans.push(jpeg(t.region, t.width, t.height));
  for (const s of sizes) plans.push(jpeg(whole, s.width, s.height));
  const max = fitToLimits(width, height, config.limits, false);
  plans.push(jpeg(whole, max.width, max.height));

  const byPath = new Map<string, Level0File>();
  for (const plan of plans) {
    const canonical = canonicalPath(plan, ctx);
    const [region] = canonical.split('/');
    const explicit = `${region}/${explicitSize(plan, version)}/0/default.jpg`;
    const paths = [...new Set([canonical, explicit])].filter((p) => !byPath.has(p));
    if (paths.length > 0) {
      const file = { paths, plan };
      for (const p of paths) byPath.set(p, file);
    }
  }
  return [...new Set(byPath.values())];
}
