import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { LRUCache } from 'lru-cache';
import { projectRoot, type Config } from '../config.js';
import { asDocumentSet, type DocumentSet } from '../catalog/document-set.js';
import type { CatalogEntry } from '../catalog/entry.js';
import type { ArchivalDocument } from '../document/model.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { answeredNotModified, EncodedBody, sendEncoded } from '../http/encoded-body.js';
import { strongEtag } from '../image/validators.js';
import { viewerAssets } from './assets.js';
import { browseOrder, browsePage, browsePages } from './browse-page.js';
import { documentPage } from './document-page.js';
import { embedPage } from './embed-page.js';
import { leafImage, openingLeaf, type LeafImageDeps } from './first-leaf.js';
import { pageLanguage, pick } from './language.js';
import { pageLinks, type PageLinks } from './links.js';
import { oembed, oembedTarget } from './oembed.js';

export interface ViewerDeps {
  config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  /** The published documents: `/` is the page of the only one, or the browse page of several. */
  documents: DocumentSet | readonly ArchivalDocument[];
  /** Vite's output folder (default `viewer/dist`). */
  distDir?: string;
  /** The image backend and grid settings: the opening leaf is in the page's first paint as an `<img>` of its advertised sizes. */
  firstPaint?: LeafImageDeps;
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

/**
 * The document pages `/documents/{doc}` and `/embed/{doc}`; `/` (the page of the only
 * document, or the browse page when there are several) and `/embed` (the first document in
 * catalog order); oEmbed; and the built viewer's files under `/viewer/`.
 */
export function viewerRouter({ config, documents, distDir = path.join(projectRoot, 'viewer', 'dist'), firstPaint }: ViewerDeps): Router {
  const router = Router();
  const assets = viewerAssets(distDir);
  const set = asDocumentSet(documents);
  const several = () => set.entries().length > 1;
  const first = (): CatalogEntry => {
    const entry = set.entries()[0];
    if (!entry) throw new NotFoundError('No document is published');
    return entry;
  };
  const load = async (id: string): Promise<ArchivalDocument> => {
    const doc = await set.load(id);
    if (!doc) throw new NotFoundError(`No document ${id}`);
    return doc;
  };
  // The browse order, computed once per catalog version.
  let ordered: { version: string; entries: CatalogEntry[] } | null = null;
  const browseList = () => {
    if (ordered?.version !== set.version) ordered = { version: set.version, entries: browseOrder(set.entries()) };
    return ordered.entries;
  };

  // Pages are compressed once per content; the built files come pre-compressed (Brotli, gzip).
  const sendPage = pageSender();

  const sendDocument = async (req: Request, res: Response, doc: ArchivalDocument) => {
    const lang = pageLanguage(req);
    const links = pageLinks(baseUrl(req, config), doc, several());
    const firstLeaf = firstPaint && (await leafImage(firstPaint, baseUrl(req, config), openingLeaf(req.query, doc, links), lang));
    await sendPage(req, res, documentPage({ doc, lang, links, assets: await assets('document'), preload: preloads(req, links, doc), ...(firstLeaf && { firstLeaf }) }));
  };

  const sendEmbed = async (req: Request, res: Response, doc: ArchivalDocument) => {
    const lang = pageLanguage(req);
    const links = pageLinks(baseUrl(req, config), doc, several());
    const title = pick(doc.record.title, lang);
    const preload = preloads(req, links, doc);
    const firstLeaf = firstPaint && (await leafImage(firstPaint, baseUrl(req, config), openingLeaf(req.query, doc, links), lang));
    await sendPage(req, res, embedPage({ title, lang, manifestId: links.manifest, pageUrl: links.page, assets: await assets('embed'), preload, ...(firstLeaf && { firstLeaf }) }));
  };

  router.get('/', async (req, res) => {
    if (!several()) {
      await sendDocument(req, res, await load(first().id));
      return;
    }
    const list = browseList();
    const asked = req.query.page;
    const page = asked === undefined ? 1 : typeof asked === 'string' && /^[1-9][0-9]{0,8}$/.test(asked) ? Number(asked) : NaN;
    if (!Number.isSafeInteger(page)) throw new BadRequestError(`Invalid page "${String(asked)}": a whole number from 1 is expected`);
    if (page > browsePages(list.length)) throw new NotFoundError(`No page ${page}: there are ${browsePages(list.length)}`);
    await sendPage(req, res, browsePage({ ordered: list, page, base: baseUrl(req, config), lang: pageLanguage(req), assets: await assets('document') }));
  });

  router.get('/documents/:doc', async (req, res) => {
    const doc = await load(req.params.doc);
    if (!several()) {
      // The only document's page is `/`: one URL per page, whatever link was followed.
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, `${baseUrl(req, config)}/${query === -1 ? '' : req.originalUrl.slice(query)}`);
      return;
    }
    await sendDocument(req, res, doc);
  });

  // An <iframe> of `/embed` made when one document was published keeps showing a document.
  router.get('/embed', async (req, res) => sendEmbed(req, res, await load(first().id)));
  router.get('/embed/:doc', async (req, res) => sendEmbed(req, res, await load(req.params.doc)));

  router.get('/oembed', async (req, res) => {
    const base = baseUrl(req, config);
    const target = oembedTarget(req.query, base);
    const doc = await set.load(target.document ?? first().id);
    if (!doc) throw new NotFoundError(`No embeddable resource at ${String(req.query.url)}`);
    const body = oembed(req.query, {
      base,
      ...(target.document !== undefined && { document: doc.id }),
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
