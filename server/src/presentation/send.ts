import type { Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';

/** Manifests change only when the data or the images do; clients revalidate with the ETag. */
export const cacheControl = 'public, max-age=300';

const encodingSuffix = /-(gzip|br|deflate)"$/;

/**
 * Keeps the ETag strong under compression: a compressed body is a different representation,
 * so its tag gets the coding appended (RFC 9110 §8.8.3). Mount before `compression()`, whose
 * header listener then runs first and has set Content-Encoding when this one looks.
 */
export const encodingAwareEtag: RequestHandler = (_req, res, next) => {
  onHeaders(res, () => {
    const coding = res.getHeader('Content-Encoding');
    const etag = res.getHeader('ETag');
    if (typeof coding === 'string' && coding !== 'identity' && typeof etag === 'string' && etag.endsWith('"')) {
      res.setHeader('ETag', `${etag.slice(0, -1)}-${coding}"`);
    }
  });
  next();
};

/** The client's tag in If-None-Match that names this representation (any coding), if any. */
export function matchingTag(ifNoneMatch: string | undefined, etag: string): string | undefined {
  if (!ifNoneMatch) return undefined;
  if (ifNoneMatch.trim() === '*') return etag;
  // Weak comparison, as §13.1.2 asks for If-None-Match.
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .find((t) => t.replace(/^W\//, '').replace(encodingSuffix, '"') === etag);
}

export interface Representation {
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly etag: string;
}

/** Sends a representation with its validators, or 304 when the client already has it. */
export function sendRepresentation(req: Request, res: Response, r: Representation): void {
  res.setHeader('Cache-Control', cacheControl);
  const held = matchingTag(req.get('If-None-Match'), r.etag);
  if (held) {
    res.setHeader('ETag', held.replace(/^W\//, ''));
    res.status(304).end();
    return;
  }
  res.setHeader('ETag', r.etag);
  res.setHeader('Content-Type', r.contentType);
  res.send(r.body);
}
