import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import { createImageBackend, type ImageService } from '../../src/image/backend.js';
import { request } from '../helpers/http.js';
import { listen, memoryLogger, type Listening } from '../http/listen.js';

/** A stand-in for Vite's output: the build manifest and two hashed files. */
async function fakeDist(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'viewer-dist-'));
  await mkdir(path.join(dir, '.vite'), { recursive: true });
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  const manifest = {
    'document.html': { file: 'assets/document-abc123.js', imports: ['_shared.js'], css: ['assets/page-abc123.css'] },
    'embed.html': { file: 'assets/embed-abc123.js', imports: ['_shared.js'] },
    '_shared.js': { file: 'assets/shared-abc123.js', css: ['assets/page-abc123.css'] },
  };
  await writeFile(path.join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
  await writeFile(path.join(dir, 'assets', 'document-abc123.js'), 'export {};\n');
  await writeFile(path.join(dir, 'assets', 'shared-abc123.js'), 'export const shared = 1;\n');
  await writeFile(path.join(dir, 'assets', 'page-abc123.css'), 'body{}\n');
  await writeFile(path.join(dir, 'iiif-logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(dir, 'document.html'), '<!doctype html><p>template</p>');
  return dir;
}

let server: Listening;
let missing: Listening;
let images: ImageService;
let dist: string;
let cache: string;

beforeAll(async () => {
  dist = await fakeDist();
  cache = await mkdtemp(path.join(tmpdir(), 'viewer-cache-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false', CACHE_DIR: cache });
  const documents = await loadDocuments(config.manifestsDir);
  const { logger } = memoryLogger('silent');
  // The real images, so that the manifest the pages preload is served alongside them.
  images = createImageBackend(config, logger);
  server = await listen(createApp({ config, logger, documents, images, viewerDist: dist }));
  missing = await listen(createApp({ config, logger, documents, viewerDist: path.join(dist, 'nowhere') }));
});

afterAll(async () => {
  await server.close();
  await missing.close();
  await images.close();
  await rm(dist, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: 'manual' });

describe('GET / (the document page)', () => {
  it('speaks the language of ?lang=, else of Accept-Language, else Russian', async () => {
    const ru = await (await get(`${server.url}/`)).text();
    expect(ru).toMatch(/<html lang="ru">/);
    expect(ru).toContain('<h1>Шифртелеграмма № 21756');
    const en = await (await get(`${server.url}/`, { 'Accept-Language': 'en-GB,en;q=0.9' })).text();
    expect(en).toMatch(/<html lang="en">/);
    expect(en).toContain('<h1>Cable No. 21756');
    const forced = await (await get(`${server.url}/?lang=ru`, { 'Accept-Language': 'en' })).text();
    expect(forced).toMatch(/<html lang="ru">/);
  });

  it('links the built files, passes its config as JSON data and has no inline script', async () => {
    const res = await get(`${server.url}/?lang=en`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('vary')).toMatch(/Accept-Language/);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/viewer/assets/document-abc123.js"></script>');
    expect(html).toContain('<link rel="modulepreload" href="/viewer/assets/shared-abc123.js">');
    expect(html.match(/<link rel="stylesheet"/g)).toHaveLength(1);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    // Data blocks (JSON, JSON-LD) never run; any other script must be a file.
    const dataBlock = (attrs = '') => /type="application\/(ld\+)?json"/.test(attrs);
    for (const [, attrs, body] of scripts) expect(attrs?.includes('src=') || dataBlock(attrs) ? '' : body).toBe('');
    const config = JSON.parse(/<script type="application\/json" id="viewer-config">([^<]*)<\/script>/.exec(html)![1]!);
    expect(config).toEqual({
      manifestId: `${server.url}/iiif/presentation/3/rgaspi-f558-op11-d340-l43-45/manifest`,
      pageUrl: `${server.url}/`,
      language: 'en',
      embedded: false,
      // The texts themselves are checked in test/citation/formatted.test.ts.
      citation: expect.objectContaining({
        files: {
          json: `${server.url}/documents/rgaspi-f558-op11-d340-l43-45/cite.json`,
          bib: `${server.url}/documents/rgaspi-f558-op11-d340-l43-45/cite.bib`,
          ris: `${server.url}/documents/rgaspi-f558-op11-d340-l43-45/cite.ris`,
        },
      }),
    });
  });

  it('preloads what the viewer fetches first (manifest, first image service, its text layers), but not for a deep link', async () => {
    const manifestUrl = `${server.url}/iiif/presentation/3/rgaspi-f558-op11-d340-l43-45/manifest`;
    const manifest = (await (await get(manifestUrl)).json()) as {
      items: { annotations: { id: string }[]; items: { items: { body: { service: { id: string }[] } }[] }[] }[];
    };
    const canvas = manifest.items[0]!;
    const html = await (await get(`${server.url}/`)).text();
    const preloaded = [...html.matchAll(/<link rel="preload" as="fetch" crossorigin="anonymous" href="([^"]+)">/g)].map((m) => m[1]);
    expect(preloaded).toEqual([
      manifestUrl,
      `${canvas.items[0]!.items[0]!.body.service[0]!.id}/info.json`,
      ...canvas.annotations.map((page) => page.id),
    ]);
    expect(preloaded[1]).toBe(`${server.url}/iiif/3/rgaspi-f558-op11-d340-l043/info.json`);
    expect(canvas.annotations).toHaveLength(2); // transcription and translation
    const deep = await (await get(`${server.url}/?canvas=x`)).text();
    expect(deep).not.toContain('info.json">');
    const foreign = await (await get(`${server.url}/embed?manifest=https%3A%2F%2Fo.example%2Fm`)).text();
    expect(foreign).not.toContain('rel="preload"');
  });

  it('offers the citation, downloads, the manifest with the IIIF logo, the embed snippet and oEmbed discovery', async () => {
    const html = await (await get(`${server.url}/?lang=en`)).text();
    const manifest = `${server.url}/iiif/presentation/3/rgaspi-f558-op11-d340-l43-45/manifest`;
    expect(html).toContain('RGASPI, f. 558, op. 11, d. 340, ll. 0043-0045. Translated by Gary Goldberg.');
    expect(html).toContain(`href="${server.url}/iiif/3/rgaspi-f558-op11-d340-l043/full/max/0/default.jpg"`);
    expect(html).toContain(`/iiif/presentation/rgaspi-f558-op11-d340-l43-45/text/transcription.txt`);
    expect(html).toContain(`href="${server.url}/iiif/presentation/rgaspi-f558-op11-d340-l43-45/files/rgaspi-f558-op11-d340-l43-45.pdf" type="application/pdf"`);
    expect(html).toMatch(new RegExp(`<a id="iiif-drag"[^>]*href="${manifest}\\?manifest=${encodeURIComponent(manifest).replace(/\./g, '\\.')}"`));
    expect(html).toContain('<img src="/viewer/iiif-logo.svg" alt="IIIF"');
    expect(html).toContain(`&#60;iframe src=&#34;${server.url}/embed&#34;`);
    expect(html).toContain(
      `<link rel="alternate" type="application/json+oembed" href="${server.url}/oembed?url=${encodeURIComponent(`${server.url}/`)}&#38;format=json"`,
    );
    expect(html).toMatch(/reconstructed facsimile/i);
  });

  it('carries the whole text of the document: every line and translation paragraph, marked with its language', async () => {
    const html = await (await get(`${server.url}/`)).text();
    const window = new Window({ url: server.url });
    window.document.write(html);
    const doc = window.document;
    const cable = (await loadDocuments(loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' }).manifestsDir))[0]!;
    const lines = cable.leaves.flatMap((l) => l.transcription.blocks.flatMap((b) => b.lines.map((x) => x.text)));
    const paragraphs = cable.leaves.flatMap((l) => (l.translation?.paragraphs ?? []).map((p) => p.text));
    expect([...doc.querySelectorAll('#reading-view .rv-line')].map((e) => e.textContent)).toEqual(lines);
    expect([...doc.querySelectorAll('#reading-view .rv-translation p')].map((e) => e.textContent)).toEqual(paragraphs);
    expect([...doc.querySelectorAll('#reading-view h3')]).toHaveLength(cable.leaves.length);
    expect(doc.querySelector('.rv-transcription')!.getAttribute('lang')).toBe('ru');
    expect(doc.querySelector('.rv-translation')!.getAttribute('lang')).toBe('en');
  });

  it('may not be framed, while /embed may be framed by any origin', async () => {
    const page = await get(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    const embed = await get(`${server.url}/embed`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    const html = await embed.text();
    expect(html).toContain('<script type="module" src="/viewer/assets/embed-abc123.js"></script>');
    expect(html).toContain('"embedded":true');
  });

  it('revalidates with a content-keyed ETag: 304 for the held page, a new body for another', async () => {
    const first = await request(server.url, '/?lang=en');
    const etag = first.header('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.header('cache-control')).toBe('no-cache');
    const again = await request(server.url, '/?lang=en', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.header('etag')).toBe(etag);
    expect(again.header('vary')).toMatch(/Accept-Language/);
    expect(again.body.length).toBe(0);
    // Another language, or the embeddable viewer, is another representation.
    const ru = await request(server.url, '/?lang=ru', { headers: { 'If-None-Match': etag } });
    expect(ru.status).toBe(200);
    const embed = await request(server.url, '/embed?lang=en');
    expect(embed.header('etag')).not.toBe(etag);
    expect((await request(server.url, '/embed?lang=en', { headers: { 'If-None-Match': etag } })).status).toBe(200);
  });

  it('sends the page compressed with brotli or gzip, each decoding to the plain page', async () => {
    const plain = await request(server.url, '/');
    expect(plain.header('content-encoding')).toBe('');
    const br = await request(server.url, '/', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.header('content-encoding')).toBe('br');
    expect(brotliDecompressSync(br.body)).toEqual(plain.body);
    const gz = await request(server.url, '/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body)).toEqual(plain.body);
    expect(gz.header('vary')).toMatch(/Accept-Encoding/);
    expect(new Set([plain, br, gz].map((r) => r.header('etag'))).size).toBe(3);
  });

  it('answers 503 with a hint while the viewer is not built', async () => {
    const res = await get(`${missing.url}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.text()).toMatch(/npm run build:viewer/);
  });
});

describe('GET /viewer/… (built files)', () => {
  it('caches hashed files for a year and other files for an hour', async () => {
    const hashed = await get(`${server.url}/viewer/assets/shared-abc123.js`);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('content-type')).toMatch(/javascript/);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const zipped = await get(`${server.url}/viewer/assets/document-abc123.js`, { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers.get('content-encoding')).toBe(null); // the build holds no compressed copy of it
    const logo = await get(`${server.url}/viewer/iiif-logo.svg`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it.each([
    '/viewer/document.html',
    '/viewer/.vite/manifest.json',
    '/viewer/%2e%2e/package.json',
    '/viewer/..%2f..%2fpackage.json',
    '/viewer/assets/..%2f..%2f..%2fpackage.json',
    '/viewer/assets/%2e%2e%2f%2e%2e%2fserver%2fsrc%2fapp.ts',
    '/viewer/assets/..%5c..%5cpackage.json',
    '/viewer/assets/%00.js',
    '/viewer/',
    '/viewer/assets/',
  ])('never serves %s (templates, build manifest, traversal, listings): 404', async (p) => {
    const res = await get(`${server.url}${p}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain('"name": "rgaspi-cable-21756-iiif"');
    expect(body).not.toContain('template');
    expect(body).not.toContain('createApp');
  });
});
