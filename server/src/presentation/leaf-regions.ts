import { union } from '../document/boxes.js';
import type { Box, Leaf, TextLine } from '../document/model.js';
import { clampToCanvas, type Size } from './geometry.js';

/**
 * A transcription box in canvas pixels. ALTO coordinates refer to the page size it declares:
 * when the image is a different size (a rescaled or swapped scan) they are scaled to it, and
 * whatever would still overhang is clipped, so every target lies inside its canvas.
 */
export function toCanvas(box: Box, leaf: Leaf, canvas: Size): Box | null {
  return pageToCanvas(box, leaf.transcription.page, canvas);
}

/** `toCanvas`, given the page size the box refers to (none: the box is in canvas pixels already). */
export function pageToCanvas(box: Box, page: Size | null | undefined, canvas: Size): Box | null {
  const sx = page ? canvas.width / page.width : 1;
  const sy = page ? canvas.height / page.height : 1;
  return clampToCanvas({ x: box.x * sx, y: box.y * sy, w: box.w * sx, h: box.h * sy }, canvas);
}

/**
 * The region of the page (in the transcription's own pixels) covered by the text blocks/lines
 * with the given ids on this leaf: `undefined` when none of them is on the leaf, `null` when one
 * lacks geometry (the whole page), else their union. The translation layer and search's
 * English hits both target it, so they agree.
 */
export function pageRegionOf(leaf: Leaf, ids: readonly string[]): Box | null | undefined {
  const wanted = new Set(ids);
  const boxes: (Box | null)[] = [];
  for (const block of leaf.transcription.blocks) {
    if (wanted.has(block.id)) {
      boxes.push(block.box ?? union(block.lines.map((l) => l.box)));
      continue;
    }
    for (const line of block.lines) if (wanted.has(line.id)) boxes.push(line.box);
  }
  if (boxes.length === 0) return undefined;
  return boxes.includes(null) ? null : union(boxes);
}

/** `pageRegionOf` on the canvas. */
export function regionOf(leaf: Leaf, ids: readonly string[], canvas: Size): Box | null | undefined {
  const region = pageRegionOf(leaf, ids);
  return region && toCanvas(region, leaf, canvas);
}

/** The region of one line on its canvas, or null for the whole canvas. */
export function lineRegion(leaf: Leaf, line: TextLine, canvas: Size): Box | null {
  return line.box && toCanvas(line.box, leaf, canvas);
}

/** Every line of the leaf's transcription, in reading order. */
export const linesOf = (leaf: Leaf): TextLine[] => leaf.transcription.blocks.flatMap((b) => b.lines);
