import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import type { ArchivalDocument, Box } from '../document/model.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import type { Size } from '../presentation/geometry.js';
import { toCanvas } from '../presentation/leaf-regions.js';
import { completeTerms } from './complete-terms.js';
import { findHits } from './find-hits.js';
import type { HitTargets } from './hit-annotations.js';
import { viewHit } from './hit-segments.js';
import { SearchIndexCache } from './index-cache.js';
import { slicePage } from './paging.js';
import { parseQuery } from './parse-query.js';
import { motivationMatches, readParams, type SearchParams } from './read-params.js';
import { autocompleteResponse1, autocompleteResponse2 } from './respond-autocomplete.js';
import { searchResponse1, searchContext1 } from './respond-v1.js';
import { searchContext2, searchResponse2 } from './respond-v2.js';
import { searchIds, type SearchEndpoint } from './search-ids.js';
import type { SearchIndex } from './search-index.js';

/** The loaded document with this id, asked on every request so that reloaded data is searched. */
export type DocumentLookup = (id: string) => ArchivalDocument | undefined | Promise<ArchivalDocument | undefined>;

/** Width and height of a page image, by IIIF image identifier: the canvas size. */
export type CanvasSize = (image: string) => Promise<Size>;

export interface SearchRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  readonly documents: DocumentLookup;
  /** When given, hit boxes are scaled from ALTO page pixels to canvas pixels, as in the manifests. */
  readonly canvasSize?: CanvasSize;
  /** Hits per page (default 50). */
  readonly pageSize?: number;
  /** Documents to index now, at start-up, rather than on their first search. */
  readonly indexAtStart?: readonly ArchivalDocument[];
}

type Version = 1 | 2;
type Kind = 'search' | 'autocomplete';

interface Route {
  readonly path: string;
  readonly version: Version;
  readonly kind: Kind;
  readonly endpoint: (ids: ReturnType<typeof searchIds>) => SearchEndpoint;
}

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

/** Motivations of our annotations: `supplementing` in 3.0 terms, `sc:painting` for 2.1 clients. */
const motivations: Record<Version, readonly string[]> = {
  2: ['supplementing'],
  1: ['painting', 'sc:painting'],
};

const contentTypes: Record<Version, string> = {
  2: `application/ld+json;profile="${searchContext2}"`,
  1: `application/ld+json;profile="${searchContext1}"`,
};

/** Results change only with the data, which the ETag tracks; revalidate after a few minutes. */
const cacheControl = 'public, max-age=300';

function rawQuery(req: Request): string {
  const i = req.originalUrl.indexOf('?');
  return i === -1 ? '' : req.originalUrl.slice(i + 1);
}

type PlacedEndpoint = SearchEndpoint & Pick<HitTargets, 'place'>;

function searchBody(route: Route, index: SearchIndex, endpoint: PlacedEndpoint, params: SearchParams, pageSize: number) {
  const clauses = params.q === null ? [] : parseQuery(params.q);
  const hits = motivationMatches(params.motivation, motivations[route.version]) ? findHits(index, clauses) : [];
  const views = hits.map((h) => viewHit(index, h));
  const slice = slicePage(views, params.page, pageSize);
  const query = { q: params.q ?? '', motivation: params.motivation };
  const targets: HitTargets = { service: endpoint.search, canvas: endpoint.canvas, place: endpoint.place };
  if (route.version === 1) {
    return searchResponse1({
      targets,
      query,
      ignored: params.ignored,
      slice,
      totalHits: views.length,
      motivation: 'sc:painting',
    });
  }
  const count = (list: typeof views) => list.reduce((n, v) => n + v.segments.length, 0);
  return searchResponse2({
    targets,
    query,
    ignored: params.ignored,
    slice,
    annotationsBefore: count(views.slice(0, slice.startIndex)),
    annotationsTotal: count(views),
  });
}

function autocompleteBody(route: Route, index: SearchIndex, endpoint: SearchEndpoint, params: SearchParams) {
  if (params.q === null) throw new BadRequestError('q is required');
  const terms = motivationMatches(params.motivation, motivations[route.version])
    ? completeTerms(index, params.q, params.min ?? 1)
    : [];
  const input = {
    autocomplete: endpoint.autocomplete,
    search: endpoint.search,
    query: { q: params.q, motivation: params.motivation },
    min: params.min,
    ignored: params.ignored,
    terms,
  };
  return route.version === 2 ? autocompleteResponse2(input) : autocompleteResponse1(input);
}

/**
 * Content Search 2.0 and 1.0, with autocomplete, for every document: JSON-LD, CORS `*`,
 * an ETag keyed by the data version and the query, answers kept in a bounded cache.
 */
/** Canvas size of each leaf of the document, by leaf id; a leaf whose image is missing is left out. */
async function canvasSizes(document: ArchivalDocument, canvasSize?: CanvasSize): Promise<Map<string, Size>> {
  const sizes = new Map<string, Size>();
  if (!canvasSize) return sizes;
  await Promise.all(
    document.leaves.map(async (leaf) => {
      try {
        const { width, height } = await canvasSize(leaf.image);
        sizes.set(leaf.id, { width, height });
      } catch {
        // No image: the manifest has no canvas for it either; boxes stay in ALTO pixels.
      }
    }),
  );
  return sizes;
}

function placer(document: ArchivalDocument, sizes: Map<string, Size>) {
  const leaves = new Map(document.leaves.map((l) => [l.id, l]));
  return (leafId: string, box: Box): Box | null => {
    const size = sizes.get(leafId);
    const leaf = leaves.get(leafId);
    return size && leaf ? toCanvas(box, leaf, size) : box;
  };
}

export function searchRouter(options: SearchRouterOptions): express.Router {
  const { config, documents, canvasSize, pageSize = 50 } = options;
  const router = express.Router();
  const indexes = new SearchIndexCache();
  for (const document of options.indexAtStart ?? []) indexes.get(document);
  const bodies = new LRUCache<string, string>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (s) => s.length * 2 });

  const handle = (route: Route) => async (req: Request, res: Response) => {
    res.set('Access-Control-Allow-Origin', '*');
    const id = String(req.params.doc);
    const document = await documents(id);
    if (!document) throw new NotFoundError(`No document ${id}`);
    const params = readParams(rawQuery(req), route.kind);
    const base = baseUrl(req, config);
    const sizes = await canvasSizes(document, canvasSize);
    const key = JSON.stringify([route.path, base, document.id, document.version, [...sizes], params]);
    const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
    res.set({ ETag: etag, 'Cache-Control': cacheControl });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    let body = bodies.get(key);
    if (body === undefined) {
      const index = indexes.get(document);
      const endpoint = route.endpoint(searchIds(base, document.id));
      const json =
        route.kind === 'search'
          ? searchBody(route, index, { ...endpoint, place: placer(document, sizes) }, params, pageSize)
          : autocompleteBody(route, index, endpoint, params);
      body = JSON.stringify(json);
      bodies.set(key, body);
    }
    res.set('Content-Type', contentTypes[route.version]).send(body);
  };

  for (const route of routes) {
    router.options(route.path, (_req, res) => {
      res
        .set({
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': '*',
          'Access-Control-Max-Age': '86400',
        })
        .status(204)
        .end();
    });
    router.get(route.path, handle(route));
  }
  return router;
}
