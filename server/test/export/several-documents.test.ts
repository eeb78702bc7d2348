import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer } from '../../scripts/build-viewer.js';
import { loadConfig, projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import { exportEdition } from '../../src/export/export-edition.js';
import { viewerFiles, type StaticFile } from '../../src/export/viewer-files.js';
import { browsePageSize } from '../../src/viewer/browse-page.js';
import { testCorpus, type TestCorpus } from '../catalog/corpus.js';
import { memoryLogger, type Listening } from '../http/listen.js';
import { filesUnder, jsonUrlsUnder, pageLinksUnder, unanswered } from './crawl.js';
import { staticHost } from './static-host.js';

// An edition of several documents has the service's URL layout: a page and an embed page per
// document, the browse page at the root, each in both languages, served by a plain static server.

let corpus: TestCorpus;
let host: Listening;
let base: string;
let outDir: string;
const viewerDist = path.join(projectRoot, 'viewer', 'dist');
const { logger } = memoryLogger('silent');

beforeAll(async () => {
  await buildViewer({ quiet: true });
  corpus = await testCorpus(3);
  outDir = path.join(corpus.root, 'edition');
  host = await staticHost(corpus.root);
  base = `${host.url}/edition`;
  const config = loadConfig({ LOG_LEVEL: 'silent', MANIFESTS_DIR: corpus.manifestsDir, IMAGES_DIR: corpus.imagesDir, CACHE_DIR: path.join(corpus.root, 'cache') });
  const documents = await loadDocuments(config.manifestsDir);
  await exportEdition({ outDir, base, searchUrl: null, config, documents, viewerDist, lang: 'en', logger });
}, 120_000);

afterAll(async () => {
  await host?.close();
  await corpus?.remove();
});

describe('a static edition of several documents', { timeout: 60_000 }, () => {
  it('has every document’s page and embed page in both languages, the browse page at the root, and every link resolves', async () => {
    const pages = (await filesUnder(outDir)).filter((f) => f.endsWith('.html') && !f.startsWith('viewer/'));
    const each = corpus.ids.flatMap((id) => [`documents/${id}.html`, `embed/${id}.html`]);
    // `--lang en`: English at the service's URLs, Russian below ru/.
    expect(pages.sort()).toEqual(['index.html', 'embed.html', ...each].flatMap((p) => [p, `ru/${p}`]).sort());

    const browse = await (await fetch(`${base}/`)).text();
    expect(browse).toContain('<html lang="en">');
    expect(browse).toContain('Archival documents');
    for (const id of corpus.ids) expect(browse).toContain(`href="${base}/documents/${id}"`);
    const russian = await (await fetch(`${base}/ru/`)).text();
    expect(russian).toContain('<html lang="ru">');
    for (const id of corpus.ids) expect(russian).toContain(`href="${base}/ru/documents/${id}"`);

    for (const id of corpus.ids) {
      const page = await fetch(`${base}/documents/${id}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`${base}/iiif/presentation/3/${id}/manifest`);
      const embed = await (await fetch(`${base}/embed/${id}`)).text();
      expect(embed).toContain(`"manifestId":"${base}/iiif/presentation/3/${id}/manifest"`);
      // The manifest's homepage is this page: the id the builders minted resolves in the edition.
      const manifest = (await (await fetch(`${base}/iiif/presentation/3/${id}/manifest`)).json()) as { homepage: { id: string }[] };
      expect(manifest.homepage.map((h) => h.id)).toContain(`${base}/documents/${id}`);
    }
    // `/embed` is the first document's, as the service answers it.
    expect(await (await fetch(`${base}/embed`)).text()).toContain(`/iiif/presentation/3/${corpus.ids[0]}/manifest`);

    // Every id, homepage and citation URL of the JSON, and every link of every page.
    const urls = new Set([...(await jsonUrlsUnder(outDir, base)), ...(await pageLinksUnder(outDir, base, pages))]);
    expect(urls).toContain(`${base}/documents/${corpus.ids[2]}`);
    expect(urls.size).toBeGreaterThan(600);
    expect(await unanswered(urls)).toEqual([]);
  });

  it('gives the browse page thumbnails in a size its level-0 services have', async () => {
    const browse = await readFile(path.join(outDir, 'index.html'), 'utf8');
    const thumbs = [...browse.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(thumbs.length).toBe(3);
    for (const t of thumbs) {
      expect(t).toMatch(/\/full\/\d+,\d+\/0\/default\.jpg$/);
      expect((await fetch(t)).headers.get('content-type')).toBe('image/jpeg');
    }
  });

  it('pages the browse list as files, each page and language linking the others', async () => {
    for (let i = 3; i <= browsePageSize; i++) await corpus.add(`doc-${String(i).padStart(3, '0')}`);
    const documents = await loadDocuments(corpus.manifestsDir);
    expect(documents.length).toBe(browsePageSize + 1);
    const files: StaticFile[] = [];
    await viewerFiles({ base, prefix: '/edition', documents, distDir: viewerDist, lang: 'ru', thumbnail: (image) => `${base}/thumb/${image}`, save: async (f) => void files.push(f) });
    const written = new Set(files.map((f) => f.path));
    expect(written).toContain('page/2.html');
    expect(written).toContain('en/page/2.html');
    expect(written).not.toContain('page/3.html');
    const second = String(files.find((f) => f.path === 'page/2.html')!.body);
    expect(second).toContain(`href="${base}/" rel="prev"`);
    expect(second).toContain(`href="${base}/en/page/2" lang="en"`);
    expect(second).toContain(`href="${base}/documents/doc-100"`);
    // Every link from one page to another names a page that is written.
    const pageUrl = new RegExp(`href="${base}/((?:en/)?(?:documents/[^"/#]+|embed(?:/[^"/#]+)?|page/\\d+)?)(?:#[^"]*)?"`, 'g');
    const linked = new Set<string>();
    for (const f of files.filter((f) => f.path.endsWith('.html'))) {
      for (const [, rel] of String(f.body).matchAll(pageUrl)) linked.add(rel === '' || rel!.endsWith('/') ? `${rel}index.html` : `${rel}.html`);
    }
    expect(linked.size).toBeGreaterThan(2 * (browsePageSize + 1));
    expect([...linked].filter((rel) => !written.has(rel))).toEqual([]);
    // Nothing in them asks for a size the level-0 image services do not have.
    expect(files.some((f) => f.path.endsWith('.html') && String(f.body).includes('/full/!'))).toBe(false);
  });
});
