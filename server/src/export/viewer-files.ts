import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { asDocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument, Leaf } from '../document/model.js';
import { documentPage as documentPageUrl, embedPage as embedPageUrl } from '../presentation/ids.js';
import { viewerAssets } from '../viewer/assets.js';
import { browseOrder, browsePage, browsePages } from '../viewer/browse-page.js';
import { documentPage } from '../viewer/document-page.js';
import { embedPage } from '../viewer/embed-page.js';
import type { LeafImage } from '../viewer/first-leaf.js';
import { pick, type PageLanguage } from '../viewer/language.js';
import { pageLinks } from '../viewer/links.js';
import { editionPath } from './layout.js';

export interface StaticFile {
  /** Path in the edition, `/`-separated. */
  readonly path: string;
  readonly body: Buffer | string;
}

/** Files of the build that a page may load: not Vite's manifest, nor the HTML templates. */
const published = (rel: string) => !rel.split('/').some((s) => s.startsWith('.')) && !rel.endsWith('.html');

/** The interface languages: each page is written in both. */
const languages: readonly PageLanguage[] = ['ru', 'en'];

/** Browse page `n` as a file: page 1 is the root page, the others `page/{n}` (the service's `/?page=n`). */
const browseUrl = (base: string, n: number) => (n === 1 ? `${base}/` : `${base}/page/${n}`);

/**
 * Where a page in `lang` lives: the pages in the edition's language at the URLs the service
 * uses (the ids and citations name them), the others the same below `{lang}/`, since a file
 * cannot follow `?lang=` or Accept-Language.
 */
export function pageInLanguage(base: string, url: string, lang: PageLanguage, editionLang: PageLanguage): string {
  return lang === editionLang ? url : `${base}/${lang}${url.slice(base.length)}`;
}

/**
 * The viewer pages as the service renders them, pointed at the edition's static files, in both
 * languages (see pageInLanguage): every document's page (`documents/{doc}`) and embed page
 * (`embed/{doc}`); the root page, which is the only document's page or the browse page (all its
 * pages) when there are several; `embed`, the first document's; and every file of the viewer
 * build under `viewer/`. The language switches lead to the other language's file.
 */
export async function viewerFiles(options: {
  base: string;
  prefix: string;
  documents: readonly ArchivalDocument[];
  distDir: string;
  /** The language of the pages at the service's URLs. */
  lang: PageLanguage;
  /** A thumbnail of an image, as a size its level-0 service has. */
  thumbnail: (image: string) => string;
  /** The first leaf's picture the pages paint before the viewer, from the sizes its level-0 service has. */
  firstLeaf?: (leaf: Leaf, lang: PageLanguage) => Promise<LeafImage | undefined>;
  /** Called with each file as it is made: pages are not held, however many documents there are. */
  save: (file: StaticFile) => Promise<void>;
}): Promise<void> {
  const { base, prefix, documents, distDir, lang: editionLang, save } = options;
  // The build names its own files relatively (Vite's base): only the pages need to know where it is.
  const assets = viewerAssets(distDir, `${prefix}/viewer/`);
  const set = asDocumentSet(documents);
  const entries = set.entries();
  const several = entries.length > 1;
  const page = (url: string, body: string) => save({ path: editionPath(base, url, 'text/html'), body });
  const both = (url: string) => Object.fromEntries(languages.map((l) => [l, pageInLanguage(base, url, l, editionLang)])) as Record<PageLanguage, string>;
  for (const lang of languages) {
    const at = (url: string) => pageInLanguage(base, url, lang, editionLang);
    for (const [index, entry] of entries.entries()) {
      const doc = (await set.load(entry.id))!;
      const links = pageLinks(base, doc, several);
      const first = doc.leaves[0];
      const preload = first ? [links.manifest, links.info(first.image), ...links.layerPages(first.id).slice(0, first.translation ? 2 : 1)] : [links.manifest];
      const firstLeaf = first && (await options.firstLeaf?.(first, lang));
      const html = documentPage({ doc, lang, links, assets: await assets('document'), preload, languageUrls: both(links.page), ...(firstLeaf && { firstLeaf }) });
      // With one document its page is the root; `documents/{doc}` (the service redirects) shows it too.
      await page(at(documentPageUrl(base, doc.id)), html);
      if (!several) await page(at(links.page), html);
      const embed = embedPage({
        title: pick(doc.record.title, lang),
        lang,
        manifestId: links.manifest,
        pageUrl: links.page,
        textPageUrl: at(links.page),
        assets: await assets('embed'),
        preload,
        ...(firstLeaf && { firstLeaf }),
      });
      await page(at(embedPageUrl(base, doc.id)), embed);
      if (index === 0) await page(at(embedPageUrl(base)), embed);
    }
    if (several) {
      const ordered = browseOrder(entries);
      const documentAssets = await assets('document');
      const urls = {
        browse: (n: number, l: PageLanguage) => pageInLanguage(base, browseUrl(base, n), l, editionLang),
        document: (id: string) => at(documentPageUrl(base, id)),
        thumbnail: options.thumbnail,
      };
      for (let n = 1; n <= browsePages(ordered.length); n++) {
        await page(at(browseUrl(base, n)), browsePage({ ordered, page: n, base, lang, assets: documentAssets, urls }));
      }
    }
  }
  for (const rel of await listFiles(distDir)) {
    if (published(rel)) await save({ path: `viewer/${rel}`, body: await readFile(path.join(distDir, ...rel.split('/'))) });
  }
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, name)));
    else if (entry.isFile()) out.push(name);
  }
  return out;
}
