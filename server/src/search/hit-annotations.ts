import type { Box } from '../document/model.js';
import { xywh } from '../presentation/ids.js';
import type { HitView } from './hit-segments.js';
import { quote } from './hit-segments.js';
import type { Segment } from './search-index.js';

/** Where a service's hits point: the canvases of the manifest it is declared in. */
export interface HitTargets {
  /** The search service's URL; annotation ids are minted under it. */
  readonly service: string;
  readonly canvas: (leafId: string) => string;
  /**
   * A box in ALTO page pixels → on the leaf's canvas (scaled when the image size differs, as
   * the manifest's own annotations are); null when it falls outside. Identity when absent.
   */
  readonly place?: (leafId: string, box: Box) => Box | null;
}

/** One drawn part of a hit, as both versions serialise it. */
export interface HitAnnotation {
  readonly id: string;
  readonly target: string;
  readonly value: string;
  readonly language: string;
  readonly prefix: string;
  readonly exact: string;
  readonly suffix: string;
}

const seg = encodeURIComponent;

function annotationId(targets: HitTargets, view: HitView, part: Segment): string {
  const unit = view.unit.layer === 'ru' ? 'ru' : `en/${seg(view.unit.ref)}`;
  return `${targets.service}/annotation/${seg(view.leafId)}/${unit}/${part.start}-${part.end}`;
}

/** The annotations of a hit: one per word box or line run (Russian), one for the paragraph (English). */
export function hitAnnotations(targets: HitTargets, view: HitView): HitAnnotation[] {
  const canvas = targets.canvas(view.leafId);
  return view.segments.map((part) => {
    const { prefix, exact, suffix } = quote(view.unit.text, part.start, part.end);
    const box = part.box && (targets.place ? targets.place(view.leafId, part.box) : part.box);
    return {
      id: annotationId(targets, view, part),
      target: box ? xywh(canvas, box) : canvas,
      value: exact,
      language: view.unit.language,
      prefix,
      exact,
      suffix,
    };
  });
}
