import { type Request, Router } from 'express';
import type { Config } from '../config.js';
import { asDocumentSet, type DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotAcceptableError, NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { generatedBodies } from '../http/generated-body.js';
import type { ImageBackend } from '../image/types.js';
import { sendRepresentation } from '../http/representation.js';
import { type Activity, activities, changesCollection, changesPageAt, defaultPageSize } from './changes.js';
import { discoveryContentType } from './ids.js';
import { changedResources } from './resources.js';
import { type DiscoveryKind, discoveryProblems } from './validate.js';

export interface DiscoveryRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  readonly documents: DocumentSet | readonly ArchivalDocument[];
  readonly images: Pick<ImageBackend, 'source'>;
  /** Activities per page (default 100). */
  readonly pageSize?: number;
  /**
   * How long a listing of the stream answers (default 0: each request lists it). Listing reads
   * every document's page images; a harvester asks for page after page, each from one listing.
   */
  readonly recheckMs?: number;
}

/** JSON-LD with the Discovery profile, or plain JSON for a client that accepts only that (spec §4.1). */
function negotiate(req: Request): string {
  const chosen = req.accepts([discoveryContentType, 'application/json']);
  if (chosen === false) throw new NotAcceptableError(`Acceptable: ${discoveryContentType} or application/json`);
  return chosen;
}

/** A page is `0`, `1`, …: no sign, no leading zero, so each page has one URL. */
const pageNumber = /^(0|[1-9][0-9]{0,8})$/;

/**
 * IIIF Change Discovery API 1.0 at `/iiif/discovery`: `/changes` (the OrderedCollection) and
 * `/changes/page/{n}` (its pages), listing an activity for every Presentation 3.0 manifest and
 * collection, from the catalog and the images' state, listed at most once per `recheckMs`.
 */
export function discoveryRouter({ config, documents, images, pageSize = defaultPageSize, recheckMs = 0 }: DiscoveryRouterOptions): Router {
  const router = Router();
  const represent = generatedBodies();
  const set = asDocumentSet(documents);
  let listed: { key: string; at: number; all: Promise<Activity[]> } | null = null;

  const send = async (req: Request, res: Parameters<typeof sendRepresentation>[1], kind: DiscoveryKind, json: unknown) => {
    // What we publish must pass our own schema: a failure is our bug, and no client may see it.
    const problems = discoveryProblems(kind, json);
    if (problems.length > 0) throw new Error(`Change Discovery ${kind} does not match its schema: ${problems.slice(0, 5).join('; ')}`);
    await sendRepresentation(req, res, represent(negotiate(req), JSON.stringify(json)));
  };

  const listing = (base: string): Promise<Activity[]> => {
    const key = JSON.stringify([base, set.version]);
    const now = Date.now();
    if (listed?.key === key && now - listed.at < recheckMs) return listed.all;
    const all = changedResources(base, set.entries(), images).then(activities);
    const held = { key, at: now, all };
    listed = held;
    all.catch(() => {
      if (listed === held) listed = null;
    });
    return all;
  };

  const stream = async (req: Request) => {
    const base = baseUrl(req, config);
    const all = await listing(base);
    if (all.length === 0) throw new NotFoundError('No resources are published, so there are no changes to list');
    return { base, all };
  };

  router.get('/changes', async (req, res) => {
    res.vary('Accept');
    const { base, all } = await stream(req);
    await send(req, res, 'collection', changesCollection(base, all, pageSize));
  });

  router.get('/changes/page/:n', async (req, res) => {
    res.vary('Accept');
    const n = req.params.n;
    if (!pageNumber.test(n)) throw new NotFoundError(`No page ${n}: pages are numbered 0, 1, 2 …`);
    const { base, all } = await stream(req);
    const page = changesPageAt(base, all, pageSize, Number(n));
    if (!page) throw new NotFoundError(`No page ${n}: the last page is given by the collection's "last"`);
    await send(req, res, 'page', page);
  });
  return router;
}
