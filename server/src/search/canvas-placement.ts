import type { Box } from '../document/model.js';
import type { Size } from '../presentation/geometry.js';
import { pageToCanvas } from '../presentation/leaf-regions.js';
import type { SearchIndex } from './search-index.js';

/** Width and height of a page image, by IIIF image identifier: the canvas size. */
export type CanvasSize = (image: string) => Promise<Size>;

/** A leaf as search needs it: its id and the image painted on its canvas. */
export interface LeafImage {
  readonly id: string;
  readonly image: string;
}

/** Canvas size of each leaf, by leaf id; a leaf whose image is missing is left out. */
export async function canvasSizes(leaves: readonly LeafImage[], canvasSize?: CanvasSize): Promise<Map<string, Size>> {
  const sizes = new Map<string, Size>();
  if (!canvasSize) return sizes;
  await Promise.all(
    leaves.map(async (leaf) => {
      try {
        const { width, height } = await canvasSize(leaf.image);
        sizes.set(leaf.id, { width, height });
      } catch {
        // No image to measure: its boxes stay in ALTO pixels rather than failing the search.
      }
    }),
  );
  return sizes;
}

/**
 * ALTO page pixels → canvas pixels, with the presentation layer's own mapping (scaled when an
 * image differs from the page size its ALTO declares, clipped to the canvas), so a hit box
 * lands exactly where the manifest's transcription annotation of the same words does. The
 * page sizes come with the index: placing a hit never needs the document.
 */
export function placer(index: SearchIndex, sizes: ReadonlyMap<string, Size>) {
  const pages = new Map(index.leaves.map((l) => [l.id, l.page]));
  return (leafId: string, box: Box): Box | null => {
    const size = sizes.get(leafId);
    return size && pages.has(leafId) ? pageToCanvas(box, pages.get(leafId), size) : box;
  };
}
