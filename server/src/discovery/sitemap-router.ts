import { Router } from 'express';
import type { Config } from '../config.js';
import { asDocumentSet, type DocumentSet } from '../catalog/document-set.js';
import type { CatalogEntry } from '../catalog/entry.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { generatedBodies } from '../http/generated-body.js';
import type { ImageBackend } from '../image/types.js';
import { documentPage, pageOfDocument } from '../presentation/ids.js';
import { sendRepresentation } from '../http/representation.js';
import { documentModified } from './resources.js';
import { robotsTxt, sitemap, sitemapIndex } from './sitemap.js';

export interface SitemapRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  /** The published documents: `/` is the page of the only one, or the browse page of several. */
  readonly documents: DocumentSet | readonly ArchivalDocument[];
  readonly images?: Pick<ImageBackend, 'source'>;
  /** Document pages per sitemap (default 1,000; the protocol allows 50,000 URLs a file). */
  readonly pageSize?: number;
}

/** The page languages (`?lang=`), as the document page offers them. */
const pageLanguages = ['ru', 'en'] as const;

const alternates = (url: string) => Object.fromEntries(pageLanguages.map((lang) => [lang, `${url}?lang=${lang}`]));

/** A sitemap's number in its URL: no sign, no leading zero, so each has one URL. */
const sitemapNumber = /^(0|[1-9][0-9]{0,8})\.xml$/;

/**
 * `/sitemap.xml` and `/robots.txt` pointing at it. Up to `pageSize` documents, the sitemap
 * lists every document page (with when it last changed, its data or its page images) and the
 * browse page when there are several. Beyond that it is a sitemap index of
 * `/sitemaps/{n}.xml`, each listing `pageSize` documents (the first also the browse page), so
 * no request reads more than one page's documents and images however large the archive.
 */
export function sitemapRouter({ config, documents, images, pageSize = 1000 }: SitemapRouterOptions): Router {
  const router = Router();
  const represent = generatedBodies(16);
  const set = asDocumentSet(documents);
  const xmlType = 'application/xml; charset=utf-8';

  const pagesOf = async (base: string, entries: readonly CatalogEntry[], from: number, to: number) => {
    const pages = await Promise.all(
      entries.slice(from, to).map(async (entry) => {
        const url = pageOfDocument(base, entry.id, entries.length);
        return { url, modified: await documentModified(entry, images), languages: alternates(url) };
      }),
    );
    if (entries.length > 1 && from === 0) {
      // The browse page changes when any document's listing does; with many documents, it is
      // dated by the catalog alone rather than by reading every page image.
      const modified =
        to >= entries.length
          ? pages.reduce((m, p) => Math.max(m, p.modified.getTime()), 0)
          : entries.reduce((m, e) => Math.max(m, e.modified), 0);
      pages.unshift({ url: documentPage(base), modified: new Date(modified), languages: alternates(documentPage(base)) });
    }
    return pages;
  };

  router.get('/sitemap.xml', async (req, res) => {
    const base = baseUrl(req, config);
    const entries = set.entries();
    if (entries.length === 0) throw new NotFoundError('No document is published');
    const body =
      entries.length <= pageSize
        ? sitemap(await pagesOf(base, entries, 0, entries.length))
        : sitemapIndex(Array.from({ length: Math.ceil(entries.length / pageSize) }, (_, n) => `${base}/sitemaps/${n}.xml`));
    await sendRepresentation(req, res, represent(xmlType, body));
  });

  router.get('/sitemaps/:file', async (req, res) => {
    const base = baseUrl(req, config);
    const entries = set.entries();
    const file = String(req.params.file);
    const n = sitemapNumber.test(file) ? Number(file.slice(0, -'.xml'.length)) : NaN;
    // With one sitemap, /sitemap.xml is it: no second URL for the same list.
    if (!(n * pageSize < entries.length) || entries.length <= pageSize) throw new NotFoundError(`No sitemap ${file}`);
    await sendRepresentation(req, res, represent(xmlType, sitemap(await pagesOf(base, entries, n * pageSize, (n + 1) * pageSize))));
  });

  router.get('/robots.txt', async (req, res) => {
    await sendRepresentation(req, res, represent('text/plain; charset=utf-8', robotsTxt(`${baseUrl(req, config)}/sitemap.xml`)));
  });
  return router;
}
