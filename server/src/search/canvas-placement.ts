import type { ArchivalDocument, Box } from '../document/model.js';
import type { Size } from '../presentation/geometry.js';
import { toCanvas } from '../presentation/leaf-regions.js';

/** Width and height of a page image, by IIIF image identifier: the canvas size. */
export type CanvasSize = (image: string) => Promise<Size>;

/** Canvas size of each leaf of the document, by leaf id; a leaf whose image is missing is left out. */
export async function canvasSizes(document: ArchivalDocument, canvasSize?: CanvasSize): Promise<Map<string, Size>> {
  const sizes = new Map<string, Size>();
  if (!canvasSize) return sizes;
  await Promise.all(
    document.leaves.map(async (leaf) => {
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
 * lands exactly where the manifest's transcription annotation of the same words does.
 */
export function placer(document: ArchivalDocument, sizes: ReadonlyMap<string, Size>) {
  const leaves = new Map(document.leaves.map((l) => [l.id, l]));
  return (leafId: string, box: Box): Box | null => {
    const size = sizes.get(leafId);
    const leaf = leaves.get(leafId);
    return size && leaf ? toCanvas(box, leaf, size) : box;
  };
}
