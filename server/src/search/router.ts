import express, { type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { DocumentSet } from '../catalog/document-set.js';
import type { Config } from '../config.js';
import { NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { answeredNotModified, EncodedBody, sendEncoded } from '../http/encoded-body.js';
import { strongEtag } from '../image/validators.js';
// Results change only with the data, which the ETag tracks: the manifests' caching fits them too.
import { cacheControl } from '../http/representation.js';
import { answerAutocomplete, answerSearch, type SearchVersion } from './answer.js';
import { canvasSizes, placer, type CanvasSize } from './canvas-placement.js';
import { SearchIndexCache } from './index-cache.js';
import { readParams } from './read-params.js';
import { searchContext1 } from './respond-v1.js';
import { searchContext2 } from './respond-v2.js';
import { searchIds, type SearchEndpoint } from './search-ids.js';
import { type DocumentLookup, fromDocumentSet, fromLookup } from './searched-documents.js';

export interface SearchRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  /** The published documents, or a lookup of loaded ones (asked on every request, so reloaded data is searched). */
  readonly documents: DocumentSet | DocumentLookup;
  /** When given, hit boxes are scaled from ALTO page pixels to canvas pixels, as in the manifests. */
  readonly canvasSize?: CanvasSize;
  /** Hits per page (default 50). */
  readonly pageSize?: number;
  /** Memory for search indexes and answers, in bytes (default 24 MiB): a quarter for answers, the rest for indexes. */
  readonly cacheBytes?: number;
  /** Folder for index files (CACHE_DIR/search); without it, an evicted index is rebuilt. */
  readonly indexDir?: string;
}

interface Route {
  readonly path: string;
  readonly version: SearchVersion;
  readonly kind: 'search' | 'autocomplete';
  readonly endpoint: (ids: ReturnType<typeof searchIds>) => SearchEndpoint;
}

/** Paths as search-ids.ts mints them: one service pair per manifest that declares one. */
const routes: readonly Route[] = [
  { path: '/iiif/search/2/:doc', version: 2, kind: 'search', endpoint: (i) => i.v2 },
  { path: '/iiif/search/2/:doc/autocomplete', version: 2, kind: 'autocomplete', endpoint: (i) => i.v2 },
  { path: '/iiif/search/1/:doc', version: 1, kind: 'search', endpoint: (i) => i.v1 },
  { path: '/iiif/search/1/:doc/autocomplete', version: 1, kind: 'autocomplete', endpoint: (i) => i.v1 },
  { path: '/iiif/search/1/:doc/presentation-2', version: 1, kind: 'search', endpoint: (i) => i.v1ForPresentation2 },
  {
    path: '/iiif/search/1/:doc/presentation-2/autocomplete',
    version: 1,
    kind: 'autocomplete',
    endpoint: (i) => i.v1ForPresentation2,
  },
];

const contentTypes: Record<SearchVersion, string> = {
  2: `application/ld+json;profile="${searchContext2}"`,
  1: `application/ld+json;profile="${searchContext1}"`,
};

function rawQuery(req: Request): string {
  const i = req.originalUrl.indexOf('?');
  return i === -1 ? '' : req.originalUrl.slice(i + 1);
}

/**
 * Content Search 2.0 and 1.0, with autocomplete, for every document: JSON-LD, an ETag keyed
 * by the stamp of the data, the canvas sizes and the query, answers kept in a bounded cache.
 * Neither a revalidation nor a cached answer loads the document, and a new answer reads its
 * index from memory or its file: only an index never built loads it. CORS and preflights are
 * answered for every `/iiif/…` path by http/security.ts.
 */
export function searchRouter(options: SearchRouterOptions): express.Router {
  const { config, canvasSize, pageSize = 50 } = options;
  const documents = typeof options.documents === 'function' ? fromLookup(options.documents) : fromDocumentSet(options.documents);
  const router = express.Router();
  const cacheBytes = options.cacheBytes ?? 24 * 1024 * 1024;
  const answerBytes = Math.max(1, Math.floor(cacheBytes / 4));
  const indexes = new SearchIndexCache(Math.max(1, cacheBytes - answerBytes), { ...(options.indexDir !== undefined && { dir: options.indexDir }) });
  // Buffers, not strings: their bytes live outside the JS heap, so a cached answer costs the
  // garbage collector nothing, and it is encoded and compressed once rather than on every send.
  // Twice the plain size leaves room for the compressed forms, each smaller than it.
  const bodies = new LRUCache<string, EncodedBody>({
    maxSize: answerBytes,
    maxEntrySize: answerBytes,
    sizeCalculation: (b) => 2 * b.size,
  });

  const handle = (route: Route) => async (req: Request, res: Response) => {
    const id = String(req.params.doc);
    const located = await documents.locate(id);
    if (!located) throw new NotFoundError(`No document ${id}`);
    const params = readParams(rawQuery(req), route.kind);
    const base = baseUrl(req, config);
    const sizes = await canvasSizes(located.leaves, canvasSize);
    // Everything the body depends on: the answer is a pure function of this key.
    const key = JSON.stringify([route.path, base, id, located.stamp, [...sizes], params]);
    const etag = strongEtag([key]);
    res.setHeader('Cache-Control', cacheControl);
    // A compressed answer's tag names its coding (http/encoded-body.ts); any coding revalidates.
    if (answeredNotModified(req, res, etag)) return;
    let body = bodies.get(key);
    if (body === undefined) {
      const index = await indexes.load(id, located.stamp, () => documents.load(id));
      // Gone since it was located: as if it had never been there.
      if (!index) throw new NotFoundError(`No document ${id}`);
      const endpoint = route.endpoint(searchIds(base, id));
      const json =
        route.kind === 'search'
          ? answerSearch(
              route.version,
              index,
              { service: endpoint.search, canvas: endpoint.canvas, place: placer(index, sizes) },
              params,
              pageSize,
            )
          : answerAutocomplete(route.version, index, endpoint, params);
      // Long answers compress well (a page of 50 hits is ~40 KB of JSON, ~4 KB gzipped).
      body = new EncodedBody(Buffer.from(JSON.stringify(json)));
      bodies.set(key, body);
    }
    res.setHeader('Content-Type', contentTypes[route.version]);
    await sendEncoded(req, res, body, etag);
  };

  for (const route of routes) router.get(route.path, handle(route));
  return router;
}
