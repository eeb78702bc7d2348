import type { Box } from '../document/model.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The part of a box inside the canvas, in whole pixels; null when nothing of it is.
 * A transcription made for another scan of the leaf may overhang a swapped image: the
 * annotation must still target a region of its canvas.
 */
export function clampToCanvas(box: Box, canvas: Size): Box | null {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(canvas.width, Math.ceil(box.x + box.w));
  const y1 = Math.min(canvas.height, Math.ceil(box.y + box.h));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
