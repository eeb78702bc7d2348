import { BadRequestError, NotFoundError, NotImplementedError } from '../errors.js';
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
 * Answers an oEmbed request for one of our viewer URLs (`/` or `/embed`, with their view
 * parameters). 400 without a usable `url`, 404 for a URL that is not ours, 501 for any format
 * but JSON (oEmbed §2.3.5 allows answering only one).
 * @see https://oembed.com/#section2
 */
export function oembed(query: OEmbedQuery, site: OEmbedSite): OEmbedRich {
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
  const base = new URL(`${site.base}/`);
  const path = url.pathname.replace(/\/+$/, '');
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || (path !== basePath && path !== `${basePath}/embed`)) {
    throw new NotFoundError(`No embeddable resource at ${query.url}`);
  }
  const maxWidth = dimension(query.maxwidth, 'maxwidth');
  const maxHeight = dimension(query.maxheight, 'maxheight');
  const width = Math.min(maxWidth ?? 800, 1600);
  const height = Math.min(maxHeight ?? Math.round(width * 0.75), 1600);
  const src = new URL(`${site.base}/embed`);
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
