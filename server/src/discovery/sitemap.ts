import { utcDateTime } from './changes.js';

export interface SitemapPage {
  readonly url: string;
  readonly modified: Date;
  /** The same page in other languages, by BCP 47 tag. */
  readonly languages?: Readonly<Record<string, string>>;
}

const xml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A sitemaps.org 0.9 urlset, with each page's language versions as xhtml:link alternates. */
export function sitemap(pages: readonly SitemapPage[]): string {
  const entries = pages.map((page) => {
    const alternates = Object.entries(page.languages ?? {}).map(
      ([language, url]) => `\n    <xhtml:link rel="alternate" hreflang="${xml(language)}" href="${xml(url)}"/>`,
    );
    return `  <url>\n    <loc>${xml(page.url)}</loc>\n    <lastmod>${utcDateTime(page.modified)}</lastmod>${alternates.join('')}\n  </url>\n`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' +
    `${entries.join('')}</urlset>\n`
  );
}

/** A sitemaps.org 0.9 sitemap index: where the sitemaps of a large archive are. */
export function sitemapIndex(sitemapUrls: readonly string[]): string {
  const entries = sitemapUrls.map((url) => `  <sitemap>\n    <loc>${xml(url)}</loc>\n  </sitemap>\n`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    `${entries.join('')}</sitemapindex>\n`
  );
}

/** robots.txt: everything may be crawled; the sitemap says where the pages are. */
export function robotsTxt(sitemapUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${sitemapUrl}\n`;
}
