import { Router } from 'express';
import type { Config } from '../config.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { generatedBodies } from '../http/generated-body.js';
import type { ImageBackend } from '../image/types.js';
import { documentPage } from '../presentation/ids.js';
import { sendRepresentation } from '../http/representation.js';
import { documentModified } from './resources.js';
import { robotsTxt, sitemap } from './sitemap.js';

export interface SitemapRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  /** The published documents; the document page `/` shows the first. */
  readonly documents: readonly ArchivalDocument[];
  readonly images?: Pick<ImageBackend, 'source'>;
}

/** The page languages (`?lang=`), as the document page offers them. */
const pageLanguages = ['ru', 'en'] as const;

/** `/sitemap.xml` (the document pages, with when they last changed) and `/robots.txt` pointing at it. */
export function sitemapRouter({ config, documents, images }: SitemapRouterOptions): Router {
  const router = Router();
  const represent = generatedBodies(16);

  router.get('/sitemap.xml', async (req, res) => {
    const base = baseUrl(req, config);
    // One page today, for the first document; each document gets its own when the pages do.
    const doc = documents[0];
    if (!doc) throw new NotFoundError('No document is published');
    const url = documentPage(base);
    const languages = Object.fromEntries(pageLanguages.map((lang) => [lang, `${url}?lang=${lang}`]));
    const body = sitemap([{ url, modified: await documentModified(doc, images), languages }]);
    await sendRepresentation(req, res, represent('application/xml; charset=utf-8', body));
  });

  router.get('/robots.txt', async (req, res) => {
    await sendRepresentation(req, res, represent('text/plain; charset=utf-8', robotsTxt(`${baseUrl(req, config)}/sitemap.xml`)));
  });
  return router;
}
