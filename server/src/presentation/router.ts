import express, { type Request } from 'express';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import type { DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import { HttpError, NotAcceptableError, NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import type { ImageBackend } from '../image/types.js';
import type { ManifestServiceProvider } from './build-input.js';
import { documentIds, type PresentationVersion } from './ids.js';
import { PublicationStore } from './publication-store.js';
import { Publications } from './publications.js';
import { profileContentType } from './publish.js';
import { mountPath, parsePresentationPath } from './request-path.js';
import { sendRepresentation } from '../http/representation.js';

export interface PresentationRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy' | 'tileSize' | 'limits'> &
    Partial<Pick<Config, 'presentationCacheBytes' | 'cacheDir' | 'documentRecheckMs'>>;
  readonly documents: DocumentSet | readonly ArchivalDocument[];
  readonly images: Pick<ImageBackend, 'source'>;
  /** Services other features declare on the manifests (Content Search). */
  readonly services?: ManifestServiceProvider;
  /** Where a build that cannot be kept in CACHE_DIR is reported. */
  readonly logger?: Logger;
}

/** What `/iiif/presentation/{doc}/manifest` can answer, best first (spec §6.3, recipe 0057). */
const offers = [profileContentType(3), profileContentType(2), 'application/json'];

function negotiate(req: Request): { version: PresentationVersion; contentType: string } {
  const chosen = req.accepts(offers);
  if (chosen === false) {
    throw new NotAcceptableError(
      'Acceptable: application/ld+json;profile="http://iiif.io/api/presentation/3/context.json" or …/2/context.json',
    );
  }
  return { version: chosen === profileContentType(2) ? 2 : 3, contentType: chosen };
}

const silent = pino({ level: 'silent' });

function publicationsFor(options: PresentationRouterOptions): Publications {
  return new Publications({
    documents: options.documents,
    images: options.images,
    imageConfig: options.config,
    services: options.services,
    ...(options.config.presentationCacheBytes !== undefined && { maxBytes: options.config.presentationCacheBytes }),
    ...(options.config.documentRecheckMs !== undefined && { recheckMs: options.config.documentRecheckMs }),
    ...(options.config.cacheDir !== undefined && { store: new PublicationStore(options.config.cacheDir, options.logger ?? silent) }),
  });
}


/**
 * The Presentation API routes: manifests 3.0 and 2.1 (and negotiated), and every id they
 * publish — canvases, annotation pages and collections, annotations, ranges, collections, and
 * the text and ALTO files they link to. Mount at `/iiif/presentation`.
 */
export function presentationRouter(options: PresentationRouterOptions): express.Router {
  const publications = publicationsFor(options);
  const router = express.Router();
  // CORS, and the preflight a profile in Accept causes (it contains quotes), are answered for
  // every `/iiif/…` path by http/security.ts.

  router.get(/.*/, async (req, res) => {
    const base = baseUrl(req, options.config);
    const target = parsePresentationPath(req.path);
    if (target.kind === 'collection') {
      const found = publications.collection(base, target.version, target.unit);
      if (!found) throw new NotFoundError(`No collection ${target.unit}`);
      await sendRepresentation(req, res, found);
      return;
    }
    const noDocument = () => new NotFoundError(`No document ${target.document}`);
    if (target.kind === 'negotiate') {
      res.vary('Accept'); // on the 406 too: it depends on Accept as much as a 200 does
      const { version, contentType } = negotiate(req);
      const id = documentIds(base, version, target.document).manifest;
      const manifest = await publications.resource(target.document, base, id);
      if (!manifest) throw noDocument();
      res.setHeader('Content-Location', id);
      await sendRepresentation(req, res, { ...manifest, contentType });
      return;
    }
    const found = await publications.resource(target.document, base, `${base}${target.path}`);
    if (found === null) throw noDocument();
    if (!found) throw new NotFoundError(`No resource at ${mountPath}${req.path}`);
    await sendRepresentation(req, res, found);
  });
  router.all(/.*/, () => {
    throw new HttpError(405, 'Presentation resources are read-only: GET, HEAD or OPTIONS', { Allow: 'GET, HEAD, OPTIONS' });
  });
  return router;
}
