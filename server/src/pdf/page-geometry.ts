import type { Box } from '../document/model.js';
import type { Limits } from '../config.js';
import { fitToLimits } from '../image/plan.js';

/** A4's width in PDF points (210 mm). */
export const A4_WIDTH_PT = (210 / 25.4) * 72;

/** 300 dpi across A4's width: enough for print, a quarter of the pixels of a 600 dpi scan. */
export const PRINT_WIDTH_PX = Math.round((210 / 25.4) * 300);

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The pixels to request for a leaf's page: its image scaled down to print width (never up),
 * keeping its aspect ratio, within the image service's output limits.
 */
export function printPixels(image: Size, limits: Pick<Limits, 'maxWidth' | 'maxHeight' | 'maxArea'>): Size {
  const scale = Math.min(1, PRINT_WIDTH_PX / image.width);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return fitToLimits(width, height, limits, false);
}

/**
 * The page a leaf is printed on: A4's width, and the height that keeps the image's own
 * aspect ratio (a leaf is not cropped or padded to fit a sheet).
 */
export function pageSize(image: Size): Size {
  return { width: A4_WIDTH_PT, height: (A4_WIDTH_PT * image.height) / image.width };
}

/** A box in image pixels (origin top left, y down) as a PDF rectangle (origin bottom left, y up). */
export function toPage(box: Box, image: Size, page: Size): Box {
  const sx = page.width / image.width;
  const sy = page.height / image.height;
  return { x: box.x * sx, y: page.height - (box.y + box.h) * sy, w: box.w * sx, h: box.h * sy };
}
