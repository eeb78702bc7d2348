import { OSDReferences } from 'mirador';
import type { Rect } from './geometry.js';

/**
 * The world rectangle a window's OpenSeadragon viewer shows now (Mirador's state keeps only
 * centre and zoom; the bounds also depend on the element's shape). Null before it exists.
 */
export function viewerBounds(windowId: string): Rect | null {
  const viewer = OSDReferences.get(windowId)?.current;
  if (!viewer || viewer.world.getItemCount() === 0) return null;
  const b = viewer.viewport.getBounds(true);
  return { x: b.x, y: b.y, w: b.width, h: b.height };
}
