import { isObject, type Json, type JsonObject } from '../content-state.js';

/** One file a reader can take away: a `rendering` of the manifest or of a canvas, or a canvas's image. */
export interface Download {
  readonly href: string;
  readonly label: string;
  /** Media type as published (`format`), e.g. application/pdf. */
  readonly format: string | null;
  /** A published rendering (labelled by its publisher), or the painted image (labelled by us). */
  readonly kind: 'rendering' | 'image';
}

export interface Downloads {
  /** The whole document: the manifest's `rendering`. */
  readonly document: readonly Download[];
  /** The leaf shown: its label, its `rendering` and its page image. */
  readonly leaf: { readonly label: string; readonly files: readonly Download[] } | null;
}

const asArray = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const objects = (v: Json | undefined): JsonObject[] => asArray(v).filter(isObject);

/**
 * The text of a label in the reader's language: a 3.0 language map, or a 2.1 string, `@value`
 * object or list of them; the first language of the map when the reader's is missing.
 */
export function labelText(label: Json | undefined, language: string): string {
  if (typeof label === 'string') return label;
  if (Array.isArray(label)) {
    const values = label.map((v): JsonObject => (isObject(v) ? v : { '@value': v }));
    const chosen = values.find((v) => v['@language'] === language) ?? values[0];
    return chosen ? labelText(chosen['@value'], language) : '';
  }
  if (!isObject(label)) return '';
  if ('@value' in label) return labelText(label['@value'], language);
  const values = asArray(label[language] ?? label.none ?? Object.values(label)[0]);
  return values.filter((v): v is string => typeof v === 'string').join(' ');
}

/** Readable name of a media type for the menu, e.g. "PDF", when the label does not say it. */
const formatNames: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'text/plain': 'TXT',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'application/epub+zip': 'EPUB',
};

export const formatName = (format: string | null): string | null => (format ? (formatNames[format.split(';')[0]!.trim()] ?? null) : null);

function linkOf(value: Json | undefined, language: string): Download | null {
  if (!isObject(value)) return null;
  const href = value.id ?? value['@id'];
  if (typeof href !== 'string' || !/^https?:/i.test(href)) return null;
  const format = typeof value.format === 'string' ? value.format : null;
  return { href, label: labelText(value.label, language) || formatName(format) || href, format, kind: 'rendering' };
}

const renderings = (resource: JsonObject | undefined, language: string): Download[] =>
  asArray(resource?.rendering)
    .map((r) => linkOf(r, language))
    .filter((d): d is Download => d !== null);

/** The canvas with this id: 3.0 `items`, or 2.1 `sequences[0].canvases`. */
function findCanvas(manifest: JsonObject, canvasId: string): JsonObject | undefined {
  const canvases = objects(manifest.items ?? objects(manifest.sequences)[0]?.canvases);
  return canvases.find((c) => (c.id ?? c['@id']) === canvasId);
}

/** The first painted image of a canvas: 3.0 annotation page → annotation body, or 2.1 `images[0].resource`. */
function paintedImage(canvas: JsonObject): JsonObject | undefined {
  const page = objects(canvas.items)[0];
  const annotation = objects(page?.items ?? canvas.images)[0];
  const body = objects(annotation?.body ?? annotation?.resource)[0];
  const type = body?.type ?? body?.['@type'];
  return type === 'Image' || type === 'dctypes:Image' ? body : undefined;
}

/**
 * What the download menu offers, read from the manifest as any IIIF client would (so another
 * publisher's manifest gets its own files): the manifest's renderings, then the current canvas's
 * renderings and the image painted on it. Nothing is invented beyond what the manifest links.
 */
export function downloadsOf(manifest: Json | undefined, canvasId: string | undefined, language: string): Downloads {
  if (!isObject(manifest)) return { document: [], leaf: null };
  const documentFiles = renderings(manifest, language);
  const canvas = canvasId ? findCanvas(manifest, canvasId) : undefined;
  if (!canvas) return { document: documentFiles, leaf: null };
  const files = renderings(canvas, language);
  const image = paintedImage(canvas);
  const imageLink = image && linkOf(image, language);
  if (imageLink) files.push({ ...imageLink, kind: 'image' });
  return { document: documentFiles, leaf: { label: labelText(canvas.label, language), files } };
}
