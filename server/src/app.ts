import express from 'express';
import type { Logger } from 'pino';
import { asDocumentSet, type DocumentSet } from './catalog/document-set.js';
import { citationRouter } from './citation/router.js';
import type { Config } from './config.js';
import { discoveryRouter } from './discovery/router.js';
import { sitemapRouter } from './discovery/sitemap-router.js';
import type { ArchivalDocument, LanguageMap } from './document/model.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { healthRouter, Readiness } from './http/health.js';
import { rejectMalformedPath } from './http/request-guard.js';
import { requestLogger } from './http/request-log.js';
import { securityHeaders } from './http/security.js';
import { imageRouter } from './image/router.js';
import type { ImageBackend } from './image/types.js';
import { pdfRouter } from './pdf/router.js';
import { presentationRouter } from './presentation/router.js';
import { indexDirOf } from './search/index-file.js';
import { searchRouter } from './search/router.js';
import { searchManifestServices } from './search/services.js';
import { viewerRouter } from './viewer/router.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Shutdown reports here; `/readyz` answers from it. */
  readiness?: Readiness;
  /** The pixel layer behind the Image API routes (/iiif/3, /iiif/2); without it they are not mounted. */
  images?: ImageBackend;
  /**
   * The published documents: the catalog of MANIFESTS_DIR (catalog/open-catalog.ts), loaded on
   * demand, or documents already loaded (tests, benchmarks).
   */
  documents?: DocumentSet | readonly ArchivalDocument[];
  /** The built viewer (Vite output); defaults to viewer/dist. */
  viewerDist?: string;
}

/** Builds the Express application; never listens (main.ts and the tests do). */
export function createApp({ config, logger, readiness = new Readiness(), images, documents: given, viewerDist }: AppDeps): express.Express {
  const documents = given && asDocumentSet(given);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false); // each route sets its own content-keyed ETag
  app.use(requestLogger(logger));
  app.use(securityHeaders);
  app.use(rejectMalformedPath);
  app.use(healthRouter(readiness));
  if (images) {
    const describe = documents && imageTitles(documents);
    app.use('/iiif/3', imageRouter(3, { config, images, ...(describe && { describe }) }));
    app.use('/iiif/2', imageRouter(2, { config, images, ...(describe && { describe }) }));
  }
  if (images && documents) {
    app.use('/iiif/presentation', pdfRouter({ config, documents, images, logger }));
    app.use('/iiif/presentation', presentationRouter({ config, documents, images, services: searchManifestServices, logger }));
    app.use('/iiif/discovery', discoveryRouter({ config, documents, images, recheckMs: config.documentRecheckMs }));
  }
  if (documents) {
    const canvasSize = images && ((id: string) => images.source(id));
    app.use(
      searchRouter({
        config,
        documents,
        cacheBytes: config.searchCacheBytes,
        indexDir: indexDirOf(config.cacheDir),
        ...(canvasSize && { canvasSize }),
      }),
    );
    app.use(citationRouter({ config, documents }));
    app.use(sitemapRouter({ config, documents, ...(images && { images }) }));
    app.use(viewerRouter({ config, documents, ...(viewerDist && { distDir: viewerDist }), ...(images && { firstPaint: { config, images } }) }));
  }

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/**
 * The title of each leaf's image, for the files that carry one (PDF): the document's English
 * title and the leaf's label, e.g. "Cable No. 21756, … — l. 43" (Russian where there is no English).
 */
function imageTitles(documents: DocumentSet): (imageId: string) => { title: string } | undefined {
  return (imageId) => {
    const owner = documents.imageOwner(imageId);
    if (!owner) return undefined;
    const title = [firstValue(owner.entry.title), firstValue(owner.leaf.label)].filter(Boolean).join(' — ');
    return title ? { title } : undefined;
  };
}

function firstValue(map: LanguageMap): string {
  return (map.en ?? map.ru ?? Object.values(map)[0] ?? [])[0] ?? '';
}
