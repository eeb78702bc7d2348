import { contentStateFor, encodeContentState } from '../content-state.js';
import { formatXywh, type Rect } from '../geometry.js';

/** Where links point and which manifest needs no `manifest=` parameter (set in Mirador's config). */
export interface LinkContext {
  pageUrl: string;
  defaultManifest: string;
}

export interface View {
  manifestId: string;
  canvasId: string;
  xywh: Rect | null;
  language?: string;
}

/** `?canvas=…&xywh=…` (and `manifest=` for a foreign manifest) on the page URL. */
export function viewLink(ctx: LinkContext, view: View): string {
  const url = new URL(ctx.pageUrl);
  if (view.manifestId !== ctx.defaultManifest) url.searchParams.set('manifest', view.manifestId);
  url.searchParams.set('canvas', view.canvasId);
  if (view.xywh) url.searchParams.set('xywh', formatXywh(view.xywh));
  if (view.language) url.searchParams.set('lang', view.language);
  return url.toString();
}

/** The same view as a IIIF Content State 1.0 link (`?iiif-content=`, content-state-encoded). */
export function contentStateLink(ctx: LinkContext, view: View): string {
  const url = new URL(ctx.pageUrl);
  url.searchParams.set('iiif-content', encodeContentState(JSON.stringify(contentStateFor(view))));
  return url.toString();
}
