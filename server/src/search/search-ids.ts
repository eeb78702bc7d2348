import { documentIds, type PresentationVersion } from '../presentation/ids.js';

const seg = encodeURIComponent;

/** A search service and the canvases its hits target: those of the manifest that declares it. */
export interface SearchEndpoint {
  readonly search: string;
  readonly autocomplete: string;
  readonly canvas: (leafId: string) => string;
}

/**
 * The URLs of a document's search services. Each manifest gets its own services, as the
 * spec asks and because hits must target that manifest's canvases:
 * - Presentation 3.0 manifest: Search 2.0 (`/iiif/search/2/{doc}`) and, for Mirador and UV,
 *   Search 1.0 (`/iiif/search/1/{doc}`);
 * - Presentation 2.1 manifest: Search 1.0 on its canvases (`/iiif/search/1/{doc}/presentation-2`).
 */
export function searchIds(base: string, documentId: string) {
  const endpoint = (root: string, presentation: PresentationVersion): SearchEndpoint => ({
    search: root,
    autocomplete: `${root}/autocomplete`,
    canvas: documentIds(base, presentation, documentId).canvas,
  });
  return {
    v2: endpoint(`${base}/iiif/search/2/${seg(documentId)}`, 3),
    v1: endpoint(`${base}/iiif/search/1/${seg(documentId)}`, 3),
    v1ForPresentation2: endpoint(`${base}/iiif/search/1/${seg(documentId)}/presentation-2`, 2),
  };
}
