import { Readable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import { parseSitemap, parseSitemapIndex } from 'sitemap';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import express from 'express';
import { sitemap } from '../../src/discovery/sitemap.js';
import { sitemapRouter } from '../../src/discovery/sitemap-router.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { listen, type Listening } from '../http/listen.js';
import { fixtureDocument } from '../search/fixture-document.js';
import type { TestServer } from '../helpers/server.js';
import { startPresentationServer } from '../presentation/presentation-server.js';

const publicBase = 'https://archive.example.org/cable';
let server: TestServer;
let proxied: TestServer;

beforeAll(async () => {
  [server, proxied] = await Promise.all([startPresentationServer(), startPresentationServer({ PUBLIC_BASE_URL: publicBase })]);
});
afterAll(async () => {
  await Promise.all([server?.close(), proxied?.close()]);
});

type Url = { loc: string; lastmod: string; 'xhtml:link': { '@_hreflang': string; '@_href': string; '@_rel': string }[] };
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' || name === 'xhtml:link' });

describe('GET /sitemap.xml', () => {
  it('lists the document page at the public base URL, with when it last changed and its language versions', async () => {
    const res = await fetch(`${proxied.url}/sitemap.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const doc = parser.parse(await res.text()) as { urlset: { '@_xmlns': string; url: Url[] } };
    expect(doc.urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const [page] = doc.urlset.url;
    expect(doc.urlset.url).toHaveLength(1);
    expect(page!.loc).toBe(`${publicBase}/`);
    expect(page!.lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(page!.lastmod)).toBeLessThanOrEqual(Date.now());
    expect(page!['xhtml:link'].map((l) => [l['@_rel'], l['@_hreflang'], l['@_href']])).toEqual([
      ['alternate', 'ru', `${publicBase}/?lang=ru`],
      ['alternate', 'en', `${publicBase}/?lang=en`],
    ]);
  });

  it('is dated as the manifest’s latest change in the Change Discovery stream', async () => {
    const xml = await (await fetch(`${server.url}/sitemap.xml`)).text();
    const lastmod = /<lastmod>([^<]+)<\/lastmod>/.exec(xml)![1];
    const page = (await (await fetch(`${server.url}/iiif/discovery/changes/page/0`)).json()) as {
      orderedItems: { object: { type: string }; endTime: string }[];
    };
    expect(page.orderedItems.find((a) => a.object.type === 'Manifest')!.endTime).toBe(lastmod);
  });

  it('answers a revalidation with 304', async () => {
    const first = await fetch(`${server.url}/sitemap.xml`);
    const again = await fetch(`${server.url}/sitemap.xml`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('escapes what XML cannot hold as it is', () => {
    const xml = sitemap([{ url: 'https://x.example/?a=1&b=<2>', modified: new Date('2024-01-02T03:04:05.678Z') }]);
    expect(xml).toContain('<loc>https://x.example/?a=1&amp;b=&lt;2&gt;</loc>');
    expect(xml).toContain('<lastmod>2024-01-02T03:04:05Z</lastmod>');
    expect((parser.parse(xml) as { urlset: { url: Url[] } }).urlset.url[0]!.loc).toBe('https://x.example/?a=1&b=<2>');
  });
});

describe('GET /robots.txt', () => {
  it('lets every crawler in and points at the sitemap by its absolute URL', async () => {
    const res = await fetch(`${proxied.url}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const lines = (await res.text()).split('\n');
    expect(lines).toContain('User-agent: *');
    expect(lines).toContain('Allow: /');
    expect(lines).toContain(`Sitemap: ${publicBase}/sitemap.xml`);
  });

  it('uses the request’s own host when no public base URL is set', async () => {
    expect(await (await fetch(`${server.url}/robots.txt`)).text()).toContain(`Sitemap: ${server.url}/sitemap.xml\n`);
  });
});

describe('the sitemaps of a large archive', () => {
  const documents = ['doc-a', 'doc-b', 'doc-c', 'doc-d', 'doc-e'].map((id) => ({ ...fixtureDocument(), id }));
  let archive: Listening;
  beforeAll(async () => {
    const app = express().use(sitemapRouter({ config: { publicBaseUrl: 'https://archive.example.org', trustProxy: false }, documents, pageSize: 2 }));
    app.use(notFound);
    app.use(errorHandler);
    archive = await listen(app);
  });
  afterAll(() => archive.close());

  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);

  it('is an index of sitemaps, each within its size, that together list every page once', async () => {
    const index = await fetch(`${archive.url}/sitemap.xml`);
    expect(index.status).toBe(200);
    const parsed = parser.parse(await index.clone().text()) as { sitemapindex: { '@_xmlns': string } };
    expect(parsed.sitemapindex['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const sitemaps = locs(await index.text());
    expect(sitemaps).toEqual([0, 1, 2].map((n) => `https://archive.example.org/sitemaps/${n}.xml`));
    const pages: string[] = [];
    for (const url of sitemaps) {
      const res = await fetch(`${archive.url}${new URL(url!).pathname}`);
      expect(res.status).toBe(200);
      const urls = (parser.parse(await res.text()) as { urlset: { url: Url[] } }).urlset.url;
      expect(urls.every((u) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(u.lastmod))).toBe(true);
      pages.push(...urls.map((u) => u.loc));
    }
    expect(pages).toEqual([
      'https://archive.example.org/',
      ...documents.map((d) => `https://archive.example.org/documents/${d.id}`),
    ]);
  });

  it('is read by sitemap.js, the sitemaps.org reader Node crawlers use, without a warning: every page once, dated, with its languages', async () => {
    const warned = vi.spyOn(console, 'warn');
    try {
      const read = async (url: string) => Readable.from([await (await fetch(`${archive.url}${new URL(url).pathname}`)).text()]);
      const index = await parseSitemapIndex(await read('https://archive.example.org/sitemap.xml'));
      expect(index.map((i) => i.url)).toEqual([0, 1, 2].map((n) => `https://archive.example.org/sitemaps/${n}.xml`));
      const items = (await Promise.all(index.map(async (i) => parseSitemap(await read(i.url))))).flat();
      expect(items.map((i) => i.url)).toEqual(['https://archive.example.org/', ...documents.map((d) => `https://archive.example.org/documents/${d.id}`)]);
      for (const item of items) {
        expect(Date.parse(item.lastmod!), item.url).toBeLessThanOrEqual(Date.now());
        expect(item.links.map((l) => [l.lang, l.url]), item.url).toEqual(['ru', 'en'].map((lang) => [lang, `${item.url}?lang=${lang}`]));
      }
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  it('has one URL per sitemap: others are 404', async () => {
    for (const path of ['/sitemaps/3.xml', '/sitemaps/01.xml', '/sitemaps/-1.xml', '/sitemaps/0', '/sitemaps/x.xml']) {
      expect((await fetch(`${archive.url}${path}`)).status, path).toBe(404);
    }
    // A small edition has its one sitemap at /sitemap.xml only.
    expect((await fetch(`${server.url}/sitemaps/0.xml`)).status).toBe(404);
  });
});
