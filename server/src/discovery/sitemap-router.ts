import { Router } from 'express';
import type { Config } from '../config.js';
import { asDocumentSet, type DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { generatedBodies } from '../http/generated-body.js';
import type { ImageBackend } from '../image/types.js';
import { documentPage, pageOfDocument } from '../presentation/ids.js';
import { sendRepresentation } from '../http/representation.js';
import { documentModified } from './resources.js';
import { robotsTxt, sitemap } from './sitemap.js';

export interface SitemapRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  /** The published documents: `/` is the page of the only one, or the browse page of several. */
  readonly documents: DocumentSet | readonly ArchivalDocument[];
  readonly images?: Pick<ImageBackend, 'source'>;
}

/** The page languages (`?lang=`), as the document page offers them. */
const pageLanguages = ['ru', 'en'] as const;

const alternates = (url: string) => Object.fromEntries(pageLanguages.map((lang) => [lang, `${url}?lang=${lang}`]));

/**
 * `/sitemap.xml` (the document pages, with when they last changed, and the browse page when
 * there are several) and `/robots.txt` pointing at it.
 */
export function sitemapRouter({ config, documents, images }: SitemapRouterOptions): Router {
  const router = Router();
  const represent = generatedBodies(16);
  const set = asDocumentSet(documents);

  router.get('/sitemap.xml', async (req, res) => {
    const base = baseUrl(req, config);
    const entries = set.entries();
    if (entries.length === 0) throw new NotFoundError('No document is published');
    const pages = await Promise.all(
      entries.map(async (entry) => {
        const url = pageOfDocument(base, entry.id, entries.length);
        return { url, modified: await documentModified(entry, images), languages: alternates(url) };
      }),
    );
    if (entries.length > 1) {
      // The browse page changes when any document's listing does.
      const modified = new Date(pages.reduce((m, p) => Math.max(m, p.modified.getTime()), 0));
      pages.unshift({ url: documentPage(base), modified, languages: alternates(documentPage(base)) });
    }
    await sendRepresentation(req, res, represent('application/xml; charset=utf-8', sitemap(pages)));
  });

  router.get('/robots.txt', async (req, res) => {
    await sendRepresentation(req, res, represent('text/plain; charset=utf-8', robotsTxt(`${baseUrl(req, config)}/sitemap.xml`)));
  });
  return router;
}
