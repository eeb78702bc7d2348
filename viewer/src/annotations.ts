import { parseXywh, splitFragment, type Rect } from './geometry.js';
import { isObject, type Json, type JsonObject } from './content-state.js';

/** One line (ru) or paragraph (en) of text with its region on a canvas, read from an annotation. */
export interface TranscriptItem {
  readonly id: string;
  readonly canvasId: string;
  readonly text: string;
  /** BCP 47 tag from the TextualBody; "" when the publisher gave none. */
  readonly language: string;
  /** Null when the annotation targets the whole canvas. */
  readonly box: Rect | null;
  /** Text Granularity extension value ("line", "paragraph"…), when given. */
  readonly granularity: string | null;
}

const list = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function targetOf(target: Json | undefined): { canvasId: string; box: Rect | null } | null {
  const t = list(target)[0];
  if (typeof t === 'string') {
    const { id, xywh } = splitFragment(t);
    return { canvasId: id, box: xywh };
  }
  if (!isObject(t)) return null;
  if (t.type === 'SpecificResource') {
    const source = isObject(t.source) ? str(t.source.id) : str(t.source);
    if (!source) return null;
    const selector = list(t.selector).find((s) => isObject(s) && typeof s.value === 'string');
    const box = isObject(selector) && typeof selector.value === 'string' ? parseXywh(selector.value) : null;
    return { canvasId: splitFragment(source).id, box: box ?? splitFragment(source).xywh };
  }
  const id = str(t.id);
  return id ? { canvasId: splitFragment(id).id, box: splitFragment(id).xywh } : null;
}

/** Plain text of a TextualBody; HTML bodies are reduced to their text. */
function textOf(body: JsonObject): string {
  const value = str(body.value) ?? '';
  return body.format === 'text/html' ? value.replace(/<[^>]*>/g, '') : value;
}

/**
 * The `supplementing` TextualBody annotations of an AnnotationPage, in page order: the same
 * data any IIIF viewer receives (Presentation 3.0 §3.3 "supplementing"; recipe 0068 targets).
 * Anything else (commenting, tagging, images, malformed items) is skipped, never fatal.
 */
export function itemsFromAnnotationPage(page: Json | undefined): TranscriptItem[] {
  if (!isObject(page)) return [];
  const items: TranscriptItem[] = [];
  for (const anno of list(page.items)) {
    if (!isObject(anno) || !list(anno.motivation).includes('supplementing')) continue;
    const target = targetOf(anno.target);
    const body = list(anno.body).find((b) => isObject(b) && b.type === 'TextualBody');
    if (!target || !isObject(body)) continue;
    const language = str(list(body.language)[0]) ?? str(list(page.language)[0]) ?? '';
    items.push({
      id: str(anno.id) ?? `${target.canvasId}#${items.length}`,
      canvasId: target.canvasId,
      text: textOf(body).trim(),
      language,
      box: target.box,
      granularity: str(anno.textGranularity) ?? null,
    });
  }
  return items;
}

/** True when a tag such as "ru-RU" belongs to the layer "ru". */
export function inLayer(item: TranscriptItem, layer: string): boolean {
  return item.language === layer || item.language.startsWith(`${layer}-`);
}
