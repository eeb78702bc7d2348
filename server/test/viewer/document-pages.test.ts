import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CatalogDocumentSet } from '../../src/catalog/document-set.js';
import { scanCatalog } from '../../src/catalog/scan-folders.js';
import { projectRoot } from '../../src/config.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { testCorpus, type TestCorpus } from '../catalog/corpus.js';

let corpus: TestCorpus;
let several: TestServer;
let single: TestServer;
let one: TestCorpus;

async function serve(c: TestCorpus): Promise<TestServer> {
  const logger = pino({ level: 'silent' });
  const { entries } = await scanCatalog(c.manifestsDir, null);
  const documents = new CatalogDocumentSet({ manifestsDir: c.manifestsDir, entries, maxBytes: 16 * 1024 * 1024, recheckMs: 0, logger });
  return startServer({
    logger,
    deps: { documents, viewerDist: path.join(projectRoot, 'viewer', 'dist') },
    fixtures: async (imagesDir) => {
      const { link } = await import('node:fs/promises');
      for (const name of await readdir(c.imagesDir)) await link(path.join(c.imagesDir, name), path.join(imagesDir, name));
    },
  });
}

beforeAll(async () => {
  corpus = await testCorpus(0);
  await corpus.add('doc-b', 1001, 'Second cable');
  await corpus.add('doc-a', 1000, 'First cable');
  await corpus.add('doc-c', 1001, 'Third cable');
  one = await testCorpus(1);
  several = await serve(corpus);
  single = await serve(one);
}, 60_000);

afterAll(async () => {
  await several?.close();
  await single?.close();
  await corpus?.remove();
  await one?.remove();
});

const page = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const html = await res.text();
  const window = new Window({ url });
  window.document.write(html);
  return { res, html, document: window.document };
};

describe('the browse page at / when several documents are published', () => {
  it('lists fond → opis → delo → documents in Russian, each with a thumbnail, date and title linking to its page', async () => {
    const { res, document } = await page(`${several.url}/`, { 'Accept-Language': 'ru' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(document.documentElement.getAttribute('lang')).toBe('ru');
    expect(document.querySelector('h1')!.textContent).toBe('Архивные документы');
    expect(document.querySelector('.skip-links a')!.getAttribute('href')).toBe('#documents');
    expect([...document.querySelectorAll('h2, h3, h4')].map((h) => h.textContent)).toEqual([
      'Документы',
      'РГАСПИ. Ф. 558',
      'РГАСПИ. Ф. 558. Оп. 11',
      'Д. 1000',
      'Д. 1001',
    ]);
    const links = [...document.querySelectorAll('.document a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([`${several.url}/documents/doc-a`, `${several.url}/documents/doc-b`, `${several.url}/documents/doc-c`]);
    expect(links.map((a) => a.querySelector('.document-title')!.textContent)).toEqual(['First cable', 'Second cable', 'Third cable']);
    expect(links[0]!.querySelector('time')!.getAttribute('datetime')).toBe('1951-07-13');
    expect(links[0]!.querySelector('time')!.textContent).toBe('13 июля 1951 г.');
    const img = links[0]!.querySelector('img')!;
    expect(img.getAttribute('alt')).toBe('Первый лист: First cable');
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['96', '128']);
    const thumb = await fetch(new URL(img.getAttribute('src')!, several.url));
    expect([thumb.status, thumb.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    expect(document.querySelectorAll('script')).toHaveLength(0);
  });

  it('speaks English when asked, by ?lang= or Accept-Language', async () => {
    for (const [url, headers] of [[`${several.url}/?lang=en`, {}], [`${several.url}/`, { 'Accept-Language': 'en-GB,en;q=0.9' }]] as const) {
      const { document } = await page(url, headers);
      expect(document.documentElement.getAttribute('lang')).toBe('en');
      expect(document.querySelector('h1')!.textContent).toBe('Archival documents');
      expect(document.querySelector('.document time')!.textContent).toBe('13 July 1951');
      expect([...document.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['RGASPI, f. 558, op. 11']);
    }
  });

  it('answers 400 for a malformed page number and 404 past the last page', async () => {
    expect((await fetch(`${several.url}/?page=0`)).status).toBe(400);
    expect((await fetch(`${several.url}/?page=2`)).status).toBe(404);
  });
});

describe('a page per document', () => {
  it('/documents/{doc} is the document page, its canonical links and citation at its own URL', async () => {
    const { res, html, document } = await page(`${several.url}/documents/doc-b?lang=en`);
    expect(res.status).toBe(200);
    expect(document.querySelector('h1')!.textContent).toBe('Second cable');
    const oembed = document.querySelector('link[type="application/json+oembed"]')!.getAttribute('href')!;
    expect(decodeURIComponent(oembed)).toContain(`url=${several.url}/documents/doc-b`);
    expect(html).toContain(`${several.url}/iiif/presentation/3/doc-b/manifest`);
    expect(html).not.toContain('doc-a');
    const config = JSON.parse(document.getElementById('viewer-config')!.textContent!) as { pageUrl: string; manifestId: string };
    expect(config).toMatchObject({ pageUrl: `${several.url}/documents/doc-b`, manifestId: `${several.url}/iiif/presentation/3/doc-b/manifest` });
    const manifest = (await (await fetch(config.manifestId)).json()) as { homepage: { id: string }[] };
    expect(manifest.homepage[0]!.id).toBe(`${several.url}/documents/doc-b`);
    const csl = (await (await fetch(`${several.url}/documents/doc-b/cite.json`)).json()) as { URL: string }[];
    expect(csl[0]!.URL).toBe(`${several.url}/documents/doc-b`);
  });

  it('/embed/{doc} is its viewer for an iframe; /embed shows the first document in catalog order', async () => {
    const embedded = await page(`${several.url}/embed/doc-c`);
    expect(embedded.res.status).toBe(200);
    expect(embedded.document.querySelector('link[rel="canonical"]')!.getAttribute('href')).toBe(`${several.url}/documents/doc-c`);
    // Any site may frame it, as it may /embed; the document page itself may not be framed.
    expect(embedded.res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embedded.res.headers.get('x-frame-options')).toBeNull();
    expect((await fetch(`${several.url}/documents/doc-c`)).headers.get('x-frame-options')).toBe('DENY');
    const first = await page(`${several.url}/embed`);
    expect(first.document.querySelector('link[rel="canonical"]')!.getAttribute('href')).toBe(`${several.url}/documents/doc-a`);
  });

  it('oEmbed answers any document page URL with the iframe of that document, and 404 for one that does not exist', async () => {
    const res = await fetch(`${several.url}/oembed?url=${encodeURIComponent(`${several.url}/documents/doc-c?lang=en`)}`);
    const body = (await res.json()) as { title: string; html: string };
    expect(body.title).toBe('Third cable');
    expect(body.html).toContain(`src="${several.url}/embed/doc-c?lang=en"`);
    const embed = (await (await fetch(`${several.url}/oembed?url=${encodeURIComponent(`${several.url}/embed/doc-a`)}`)).json()) as { title: string };
    expect(embed.title).toBe('First cable');
    expect((await fetch(`${several.url}/oembed?url=${encodeURIComponent(`${several.url}/documents/nope`)}`)).status).toBe(404);
    expect((await fetch(`${several.url}/documents/nope`)).status).toBe(404);
  });

  it('the sitemap lists the browse page and every document page', async () => {
    const xml = await (await fetch(`${several.url}/sitemap.xml`)).text();
    expect([...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([
      `${several.url}/`,
      `${several.url}/documents/doc-a`,
      `${several.url}/documents/doc-b`,
      `${several.url}/documents/doc-c`,
    ]);
  });

  it('with a single document, / stays its page and /documents/{doc} redirects there, query kept', async () => {
    const root = await page(`${single.url}/?lang=en`);
    expect(root.document.querySelector('h1')!.textContent).toBe('Document doc-000');
    const res = await fetch(`${single.url}/documents/doc-000?lang=en`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([301, `${single.url}/?lang=en`]);
    const manifest = (await (await fetch(`${single.url}/iiif/presentation/3/doc-000/manifest`)).json()) as { homepage: { id: string }[] };
    expect(manifest.homepage[0]!.id).toBe(`${single.url}/`);
  });
});
