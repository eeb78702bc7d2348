import { BadRequestError, NotFoundError, NotImplementedError } from '../errors.js';
import { embedPage } from '../presentation/ids.js';
import { iframeHtml } from './links.js';

export interface OEmbedQuery {
  url?: unknown;
  format?: unknown;
  maxwidth?: unknown;
  maxheight?: unknown;
}

export interface OEmbedSite {
  /** Public base URL, no trailing slash. */
  base: string;
  /** The document of a `/documents/{doc}` or `/embed/{doc}` URL; undefined for `/` and `/embed`. */
  document?: string;
  title: (lang: 'ru' | 'en') => string;
  providerName: string;
}

/** An oEmbed 1.0 `rich` response (§2.3.4, §2.3.5). */
export interface OEmbedRich {
  version: '1.0';
  type: 'rich';
  title: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
}

const passThrough = ['canvas', 'xywh', 'lang', 'iiif-content'] as const;

function dimension(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) < 1) {
    throw new BadRequestError(`Invalid ${name} "${String(value)}": a positive whole number of pixels is expected`);
  }
  return Number(value);
}

/**
 * Which page an oEmbed request is for: a document's (`/documents/{doc}`, `/embed/{doc}`) or the
 * site's root (`/`, `/embed`). 400 without a usable `url`, 404 for a URL that is not ours, 501
 * for any format but JSON (oEmbed §2.3.5 allows answering only one).
 */
export function oembedTarget(query: OEmbedQuery, siteBase: string): { url: URL; document: string | undefined } {
  if (query.format !== undefined && query.format !== 'json') {
    throw new NotImplementedError(`oEmbed format "${String(query.format)}" is not offered: use format=json`);
  }
  if (typeof query.url !== 'string' || query.url === '') throw new BadRequestError('oEmbed needs a url parameter');
  let url: URL;
  try {
    url = new URL(query.url);
  } catch {
    throw new BadRequestError(`Invalid url "${query.url}"`);
  }
  const base = new URL(`${siteBase}/`);
  const path = url.pathname.replace(/\/+$/, '');
  const basePath = base.pathname.replace(/\/+$/, '');
  const notOurs = () => new NotFoundError(`No embeddable resource at ${query.url}`);
  if (url.origin !== base.origin) throw notOurs();
  if (path === basePath || path === `${basePath}/embed`) return { url, document: undefined };
  const own = /^\/(?:documents|embed)\/([^/]+)$/.exec(path.slice(basePath.length));
  if (!own || !path.startsWith(basePath)) throw notOurs();
  let document: string;
  try {
    document = decodeURIComponent(own[1]!);
  } catch {
    throw notOurs();
  }
  return { url, document };
}

/**
 * Answers an oEmbed request for one of our viewer URLs (`/`, `/embed`, `/documents/{doc}` or
 * `/embed/{doc}`, with their view parameters) with the iframe of the matching embed page.
 * @see https://oembed.com/#section2
 */
export function oembed(query: OEmbedQuery, site: OEmbedSite): OEmbedRich {
  const { url, document } = oembedTarget(query, site.base);
  if (document !== undefined && site.document !== undefined && document !== site.document) {
    throw new NotFoundError(`No embeddable resource at ${String(query.url)}`);
  }
  const maxWidth = dimension(query.maxwidth, 'maxwidth');
  const maxHeight = dimension(query.maxheight, 'maxheight');
  const width = Math.min(maxWidth ?? 800, 1600);
  const height = Math.min(maxHeight ?? Math.round(width * 0.75), 1600);
  const src = new URL(document === undefined ? `${site.base}/embed` : embedPage(site.base, document));
  for (const key of passThrough) {
    const value = url.searchParams.get(key);
    if (value) src.searchParams.set(key, value);
  }
  const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'ru';
  const title = site.title(lang);
  return {
    version: '1.0',
    type: 'rich',
    title,
    provider_name: site.providerName,
    provider_url: `${site.base}/`,
    html: iframeHtml(src.toString(), title, width, height),
    width,
    height,
  };
}
