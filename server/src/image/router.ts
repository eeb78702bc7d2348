import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../config.js';
import { BadRequestError, HttpError, NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { canonicalPath } from './canonical.js';
import { imageInfo2, imageInfo3, jsonLdType, profileUri } from './info.js';
import { planImage, type PlanContext } from './plan.js';
import { mediaTypes } from './quality-format.js';
import { parseImageRequest } from './request.js';
import type { ImageBackend, SourceInfo } from './types.js';
import { imageCacheControl, infoCacheControl, strongEtag } from './validators.js';
import type { ApiVersion } from './version.js';

export interface ImageRouterDeps {
  config: Config;
  images: ImageBackend;
  /** What an image shows, for formats that carry a title (PDF); without it the identifier is the title. */
  describe?: (imageId: string) => { title: string } | undefined;
}

/**
 * The Image API at one version, mounted at `/iiif/{version}` (app.ts):
 * `{id}` → 303 to info.json, `{id}/info.json`, `{id}/{region}/{size}/{rotation}/{quality}.{format}`.
 * CORS and the OPTIONS preflight are answered for every `/iiif/…` path by http/security.ts.
 */
export function imageRouter(version: ApiVersion, { config, images, describe }: ImageRouterDeps): Router {
  const router = express.Router();

  router.use(async (req, res, next) => {
    // Raw segments (req.path is not decoded): each is percent-decoded exactly once, below.
    const segments = req.path.split('/').slice(1);
    if (segments[0] === undefined || segments[0] === '') return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, `Method ${req.method} is not allowed here`, { Allow: 'GET, HEAD, OPTIONS' });
    }
    const id = decodeSegment(segments[0], 'identifier');
    if (id === '') throw new NotFoundError('Empty identifier');
    const serviceId = `${baseUrl(req, config)}${req.baseUrl}/${encodeURIComponent(id)}`;
    // 3.0 §9: percent-encoding characters other than the identifier's "introduces no
    // ambiguity", so the parameters are decoded too (some clients send %5E for ^).
    const rest = segments.slice(1).map((s, i) => decodeSegment(s, parameterNames[i] ?? 'path'));

    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      // 3.0 §2: the base URI SHOULD lead to the information document, RECOMMENDED by a 303.
      await images.source(id); // an unknown identifier is a 404, not a redirect to one
      res.set('Cache-Control', infoCacheControl);
      res.redirect(303, `${serviceId}/info.json`);
      return;
    }
    if (rest.length === 1 && rest[0] === 'info.json') {
      await sendInfo(req, res, version, serviceId, await images.source(id, { pixels: true }), config);
      return;
    }
    if (rest.length === 4) {
      const [region, size, rotation, qualityFormat] = rest as [string, string, string, string];
      const request = parseImageRequest({ region, size, rotation, qualityFormat }, version);
      const source = await images.source(id, { pixels: true });
      const ctx: PlanContext = {
        version,
        width: source.width,
        height: source.height,
        limits: config.limits,
        tileSize: config.tileSize,
      };
      const plan = planImage(request, ctx);
      const canonical = canonicalPath(plan, ctx);
      const canonicalUrl = `${serviceId}/${canonical}`;
      // A PDF names itself and its URL inside (its bytes then depend on both, and so does its ETag).
      const description = plan.format === 'pdf' ? { title: describe?.(id)?.title ?? id, canonicalUrl } : undefined;
      // The hot path of every viewer: headers are set raw (res.set would look the media type up
      // again) and the body is ended directly (res.send would re-check freshness, done below).
      res.setHeader('Content-Type', mediaTypes[plan.format]);
      res.setHeader('Link', `<${canonicalUrl}>;rel="canonical", <${profileUri[version]}>;rel="profile"`);
      res.setHeader('Cache-Control', imageCacheControl);
      const described = description ? [description.title, description.canonicalUrl] : [];
      // Weak: the same request may be answered from the tile store or rendered from the source
      // (another instance, a cold cache), equivalent pixels but not the same bytes (RFC 9110 §8.8.1).
      res.setHeader('ETag', `W/${strongEtag([source.key, String(version), canonical, ...described])}`);
      res.setHeader('Last-Modified', httpDate(source));
      // Revalidation costs no pixel work: the validators come from the plan alone.
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      const { body } = await images.image(source, plan, description);
      res.setHeader('Content-Length', body.length);
      res.end(body); // Node sends no body to a HEAD request
      return;
    }
    // Not a URI of this API (e.g. an identifier with an unescaped "/"): no such resource.
    throw new NotFoundError(
      `No such resource: expected ${req.baseUrl}/{identifier}/info.json or ${req.baseUrl}/{identifier}/{region}/{size}/{rotation}/{quality}.{format}`,
    );
  });

  return router;
}

/** The parameters after the identifier, in order, as error messages name them. */
const parameterNames = ['region', 'size', 'rotation', 'quality.format'];

const httpDates = new WeakMap<SourceInfo, string>();

/** Last-Modified of a source, formatted once per version of the file (SourceInfo is per version). */
function httpDate(source: SourceInfo): string {
  let date = httpDates.get(source);
  if (date === undefined) {
    date = source.modified.toUTCString();
    httpDates.set(source, date);
  }
  return date;
}

/** Percent-decodes one path segment, exactly once. */
function decodeSegment(segment: string, parameter: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`Invalid ${parameter} "${segment}": malformed percent-encoding`);
  }
}

async function sendInfo(
  req: Request,
  res: Response,
  version: ApiVersion,
  serviceId: string,
  source: SourceInfo,
  config: Config,
): Promise<void> {
  const body = JSON.stringify(
    version === 3 ? imageInfo3(serviceId, source, config) : imageInfo2(serviceId, source, config),
  );
  const type = infoMediaType(req, version);
  res.vary('Accept');
  // Set raw (res.set would add a charset): JSON is UTF-8 by definition (RFC 8259).
  res.setHeader('Content-Type', type);
  // No Last-Modified: the document also depends on configuration and the request's host,
  // which the source's mtime does not track; the ETag, a hash of the body, does.
  res.set({
    Link: `<${profileUri[version]}>;rel="profile"`,
    'Cache-Control': infoCacheControl,
    ETag: strongEtag([type, body]),
  });
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.send(Buffer.from(body));
}

/**
 * JSON-LD when the client asks for it (3.0 §5.1, 2.1 §5.1), else plain JSON. Without an
 * Accept header, 3.0 asks for JSON-LD and 2.1 for JSON; an Accept header naming neither
 * gets JSON rather than a 406, which some older viewers would not survive.
 */
function infoMediaType(req: Request, version: ApiVersion): string {
  if (!req.get('Accept')) return version === 3 ? jsonLdType[3] : 'application/json';
  const best = req.accepts(['application/json', jsonLdType[version]]);
  return best === jsonLdType[version] ? best : 'application/json';
}
