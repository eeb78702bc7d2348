import type { Config } from '../config.js';
import type { ArchivalDocument, Leaf } from '../document/model.js';
import { advertisedGrid } from '../image/info.js';
import type { ImageBackend } from '../image/types.js';
import { imageService3 } from '../presentation/ids.js';
import { escapeHtml as e } from './html.js';
import { pick, type PageLanguage } from './language.js';
import type { PageLinks } from './links.js';

/**
 * The leaf the viewer opens at, as a plain `<img>` in the page's HTML: the first paint already
 * shows the page image, long before Mirador and its first tiles arrive; the viewer removes it
 * once OpenSeadragon has drawn the same leaf in the same place.
 */
export interface LeafImage {
  /** The IIIF Image API 3.0 service of the leaf's image. */
  service: string;
  width: number;
  height: number;
  /** The sizes info.json advertises (smallest first): each is one cached whole-image JPEG. */
  sizes: readonly { width: number; height: number }[];
  /** The leaf's label in the page's language, e.g. «л. 43». */
  alt: string;
}

type Query = Record<string, unknown>;

/**
 * The leaf a page URL opens at, when the server can tell: the leaf of `canvas=`, the leaf a
 * content state (`iiif-content=`, content-state-encoded) names, else the first. Null when the URL
 * opens something else (another manifest, a content state naming none of our leaves).
 */
export function openingLeaf(query: Query, doc: ArchivalDocument, links: PageLinks): Leaf | null {
  const byCanvas = (id: string) => doc.leaves.find((leaf) => links.canvas(leaf.id) === id) ?? null;
  if (query.manifest !== undefined && query.manifest !== links.manifest) return null;
  const content = query['iiif-content'];
  if (content !== undefined) {
    const text = typeof content === 'string' ? decodeContentState(content) : null;
    if (!text) return null;
    // The first of our canvases the content state names (as a target, or with a fragment).
    const named = doc.leaves
      .map((leaf) => ({ leaf, at: text.search(new RegExp(`"${escapeRegExp(links.canvas(leaf.id))}[#"]`)) }))
      .filter((c) => c.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (named) return named.leaf;
    return text.includes(`"${links.manifest}"`) ? (doc.leaves[0] ?? null) : null;
  }
  if (query.canvas !== undefined) return typeof query.canvas === 'string' ? byCanvas(query.canvas) : null;
  return doc.leaves[0] ?? null;
}

/** A content state parameter as JSON text (IIIF Content State 1.0 §6: base64url of the URI-encoded JSON); null if it is not one. */
function decodeContentState(value: string): string | null {
  if (/^https?:/.test(value)) return `"${value}"`;
  try {
    const json = decodeURIComponent(Buffer.from(value, 'base64url').toString('utf8'));
    JSON.parse(json);
    return json;
  } catch {
    return null;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface LeafImageDeps {
  config: Pick<Config, 'limits' | 'tileSize'>;
  images: Pick<ImageBackend, 'source'>;
}

/** The opening leaf's image and its advertised sizes (the same function info.json uses); undefined when there is none to show. */
export async function leafImage(deps: LeafImageDeps, base: string, leaf: Leaf | null, lang: PageLanguage): Promise<LeafImage | undefined> {
  if (!leaf) return undefined;
  const source = await deps.images.source(leaf.image).catch(() => null);
  if (!source) return undefined;
  const { sizes } = advertisedGrid(source, deps.config);
  return { service: imageService3(base, leaf.image), width: source.width, height: source.height, sizes, alt: pick(leaf.label, lang) };
}

const sizeUrl = (service: string, s: { width: number; height: number }) => `${service}/full/${s.width},${s.height}/0/default.jpg`;

/**
 * How much wider than it is a size is declared in `srcset`. The picture stands in for the tiles
 * for a few seconds only: drawn up to 10 % larger than its pixels it looks the same, and the next
 * advertised size (twice the width) costs about three times the bytes — on a slow connection,
 * most of the time to the first paint of the leaf.
 */
const previewStretch = 1.1;

/** The `srcset` candidates (advertised sizes up to 2400 px wide) and a fallback `src` that looks right on a laptop screen. */
function candidates(image: LeafImage): { src: string; srcset: string; ratio: string } {
  const small = image.sizes.filter((s) => s.width <= 2400);
  const usable = small.length ? small : image.sizes;
  const fallback = usable.find((s) => s.height >= 800) ?? usable[usable.length - 1];
  return {
    src: fallback ? sizeUrl(image.service, fallback) : `${image.service}/full/max/0/default.jpg`,
    srcset: usable.map((s) => `${sizeUrl(image.service, s)} ${Math.round(s.width * previewStretch)}w`).join(', '),
    ratio: (image.width / image.height).toFixed(4),
  };
}

/**
 * `<img>` with a `srcset` of the advertised sizes (so the browser picks one for the box and the
 * screen's density), its aspect ratio as `width`/`height`, and `sizes` saying how wide it is drawn.
 * `ratio` in `sizes` is the leaf's width over height: the box is filled by height or by width.
 */
export function leafImageTag(image: LeafImage, sizes: (ratio: string) => string): string {
  const c = candidates(image);
  return (
    `<img class="first-leaf-image" src="${e(c.src)}" srcset="${e(c.srcset)}" sizes="${e(sizes(c.ratio))}" ` +
    `width="${image.width}" height="${image.height}" alt="${e(image.alt)}" fetchpriority="high">`
  );
}

/**
 * The same choice as a preload, first in the head: on a slow connection the browser's six
 * connections would otherwise all be taken by the viewer's JSON and scripts before the parser
 * reaches the `<img>`, which then waits a whole round trip for one.
 */
export function leafImagePreload(image: LeafImage, sizes: (ratio: string) => string): string {
  const c = candidates(image);
  return `<link rel="preload" as="image" href="${e(c.src)}" imagesrcset="${e(c.srcset)}" imagesizes="${e(sizes(c.ratio))}" fetchpriority="high">`;
}
