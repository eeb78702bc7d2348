import { parseXywh, splitFragment, formatXywh, type Rect } from './geometry.js';

/** What a content state asks the viewer to show. */
export interface ViewTarget {
  manifestId: string;
  canvasId?: string;
  xywh?: Rect;
}

export class ContentStateError extends Error {
  override name = 'ContentStateError';
}

/**
 * Content-state-encoding: encodeURIComponent, then base64url, then strip "=" padding.
 * @see https://iiif.io/api/content-state/1.0/#6-content-state-encoding
 */
export function encodeContentState(plain: string): string {
  return btoa(encodeURIComponent(plain)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Reverses {@link encodeContentState}: restores padding to a multiple of 4 (a length of 1 mod 4
 * cannot be valid), base64url-decodes and URI-decodes. Throws ContentStateError on bad input.
 */
export function decodeContentState(encoded: string): string {
  // A "+" that went through a query string as a space, or standard base64, is forgiven.
  let s = encoded.trim().replace(/ /g, '+').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length === 0) throw new ContentStateError('not base64url');
  const rest = s.length % 4;
  if (rest === 1) throw new ContentStateError('base64url string of impossible length');
  if (rest) s += '='.repeat(4 - rest);
  try {
    return decodeURIComponent(atob(s.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    throw new ContentStateError('not a content-state-encoded string');
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const first = (v: Json | undefined): Json | undefined => (Array.isArray(v) ? v[0] : v);
const idOf = (v: Json | undefined): string | undefined =>
  typeof v === 'string' ? v : isObject(v) && typeof v.id === 'string' ? v.id : undefined;
const typeOf = (v: Json | undefined): string | undefined =>
  isObject(v) && typeof v.type === 'string' ? v.type : undefined;

function manifestOf(resource: JsonObject): string | undefined {
  const parents = Array.isArray(resource.partOf) ? resource.partOf : [resource.partOf];
  return parents.map((p) => (typeOf(p) === 'Manifest' ? idOf(p) : undefined)).find(Boolean);
}

/**
 * Reads a content state in any of the forms of §2.2 that carry their own context: a full
 * Annotation, or its target (a Canvas with `partOf`, a SpecificResource with a FragmentSelector,
 * a Manifest). A bare Canvas URI needs `defaultManifest`. The first target wins (§5.3 allows
 * several; we show one window). Returns null when nothing usable is found.
 * @see https://iiif.io/api/content-state/1.0/#2-content-state
 */
export function targetFromContentState(state: Json, defaultManifest?: string): ViewTarget | null {
  const target = isObject(state) && state.type === 'Annotation' ? first(state.target) : first(state);
  if (typeof target === 'string') {
    const { id, xywh } = splitFragment(target);
    if (!defaultManifest) return null;
    if (id === defaultManifest) return { manifestId: id };
    return { manifestId: defaultManifest, canvasId: id, ...(xywh && { xywh }) };
  }
  if (!isObject(target)) return null;
  if (target.type === 'Manifest' && typeof target.id === 'string') return { manifestId: target.id };
  let resource: JsonObject = target;
  let xywh: Rect | null = null;
  if (target.type === 'SpecificResource' && isObject(target.source)) {
    resource = target.source;
    const selector = first(target.selector);
    if (isObject(selector) && typeof selector.value === 'string') xywh = parseXywh(selector.value);
  }
  const ref = idOf(resource);
  if (!ref) return null;
  if (resource.type === 'Manifest') return { manifestId: ref };
  const split = splitFragment(ref);
  xywh ??= split.xywh;
  const manifestId = manifestOf(resource) ?? defaultManifest;
  if (!manifestId) return null;
  return { manifestId, canvasId: split.id, ...(xywh && { xywh }) };
}

/** Parses the `iiif-content` parameter: a plain URI (never encoded, §6.2) or encoded JSON. */
export function parseContentStateParam(
  param: string,
): { kind: 'uri'; uri: string } | { kind: 'json'; value: Json } {
  const trimmed = param.trim();
  if (/^https?:\/\//i.test(trimmed)) return { kind: 'uri', uri: trimmed };
  const text = decodeContentState(trimmed);
  try {
    return { kind: 'json', value: JSON.parse(text) as Json };
  } catch {
    throw new ContentStateError('the decoded content state is not JSON');
  }
}

/**
 * The content state Annotation for a view: the canvas (with its region) `partOf` the manifest.
 * @see https://iiif.io/api/content-state/1.0/#22-form-of-annotation
 */
export function contentStateFor(view: Required<Pick<ViewTarget, 'manifestId' | 'canvasId'>> & { xywh?: Rect | null }) {
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    type: 'Annotation',
    motivation: ['contentState'],
    target: {
      id: view.xywh ? `${view.canvasId}#xywh=${formatXywh(view.xywh)}` : view.canvasId,
      type: 'Canvas',
      partOf: [{ id: view.manifestId, type: 'Manifest' }],
    },
  };
}

export type { Json };
