import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { LRUCache } from 'lru-cache';
import { projectRoot, type Config } from '../config.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { answeredNotModified, EncodedBody, sendEncoded } from '../http/encoded-body.js';
import { strongEtag } from '../image/validators.js';
import { viewerAssets } from './assets.js';
import { documentPage } from './document-page.js';
import { embedPage } from './embed-page.js';
import { pageLanguage, pick } from './language.js';
import { pageLinks, type PageLinks } from './links.js';
import { oembed } from './oembed.js';

export interface ViewerDeps {
  config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  /** The published documents; `/` shows the first. */
  documents: readonly ArchivalDocument[];
  /** Vite's output folder (default `viewer/dist`). */
  distDir?: string;
}

/** Hashed file names never change content: cache for a year. */
const immutable = 'public, max-age=31536000, immutable';

/** What the page will fetch first (manifest, first leaf's image service and text layers), unless the URL opens something else (a foreign manifest, another leaf). */
function preloads(req: Request, links: PageLinks, doc: ArchivalDocument): string[] {
  const q = req.query;
  if (q.manifest !== undefined || q['iiif-content'] !== undefined) return [];
  const first = doc.leaves[0];
  if (q.canvas !== undefined || !first) return [links.manifest];
  const pages = first.translation ? links.layerPages(first.id) : links.layerPages(first.id).slice(0, 1);
  return [links.manifest, links.info(first.image), ...pages];
}

/**
 * Sends pages with a content-keyed ETag, so that `no-cache` revalidation ends in a 304. A page
 * is a pure function of the build, the base URL, the language and the view parameters, so
 * its compressed forms are kept, keyed by its tag: the same page is compressed once.
 */
function pageSender(): (req: Request, res: Response, html: string) => Promise<void> {
  const bodies = new LRUCache<string, EncodedBody>({ max: 64 });
  return async (req, res, html) => {
    const identity = Buffer.from(html);
    const etag = strongEtag([identity]);
    // The page follows ?lang= and Accept-Language; revalidate so a new build is picked up.
    res.set({ 'Cache-Control': 'no-cache', Vary: 'Accept-Language' });
    if (answeredNotModified(req, res, etag)) return;
    let body = bodies.get(etag);
    if (!body) bodies.set(etag, (body = new EncodedBody(identity)));
    res.type('html');
    await sendEncoded(req, res, body, etag);
  };
}

/** The document page `/`, the embeddable viewer `/embed`, oEmbed, and the built viewer's files under `/viewer/`. */
export function viewerRouter({ config, documents, distDir = path.join(projectRoot, 'viewer', 'dist') }: ViewerDeps): Router {
  const router = Router();
  const assets = viewerAssets(distDir);
  const documentOf = () => {
    const doc = documents[0];
    if (!doc) throw new NotFoundError('No document is published');
    return doc;
  };

  // Pages are compressed once per content; the built files come pre-compressed (Brotli, gzip).
  const sendPage = pageSender();

  router.get('/', async (req, res) => {
    const doc = documentOf();
    const lang = pageLanguage(req);
    const links = pageLinks(baseUrl(req, config), doc);
    await sendPage(req, res, documentPage({ doc, lang, links, assets: await assets('document'), preload: preloads(req, links, doc) }));
  });

  router.get('/embed', async (req, res) => {
    const doc = documentOf();
    const lang = pageLanguage(req);
    const links = pageLinks(baseUrl(req, config), doc);
    const title = pick(doc.record.title, lang);
    const preload = preloads(req, links, doc);
    await sendPage(req, res, embedPage({ title, lang, manifestId: links.manifest, pageUrl: links.page, assets: await assets('embed'), preload }));
  });

  router.get('/oembed', (req, res) => {
    const doc = documentOf();
    const base = baseUrl(req, config);
    const body = oembed(req.query, {
      base,
      title: (lang) => pick(doc.record.title, lang),
      providerName: pick(doc.record.repository.label, 'en'),
    });
    res.set('Cache-Control', 'public, max-age=3600').json(body);
  });

  // Only the build's public files: never the HTML templates or Vite's manifest.
  router.use('/viewer', (req, _res, next) => {
    if (/(^|\/)\.|\.html$/i.test(req.path)) next(new NotFoundError(`No resource at ${req.originalUrl}`));
    else next();
  });
  router.use(
    '/viewer',
    expressStaticGzip(distDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        redirect: false,
        dotfiles: 'deny',
        fallthrough: true,
        etag: true,
        setHeaders: (res, file) => {
          const hashed = file.includes(`${path.sep}assets${path.sep}`);
          res.setHeader('Cache-Control', hashed ? immutable : 'public, max-age=3600');
        },
      },
    }),
  );
  return router;
}
