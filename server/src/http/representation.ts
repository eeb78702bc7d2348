/** Sending a prepared representation: validators, compression, 304. Shared by every JSON/text route. */
import type { Request, Response } from 'express';
import { answeredNotModified, type EncodedBody, sendEncoded } from './encoded-body.js';

/** Manifests change only when the data or the images do; clients revalidate with the ETag. */
export const cacheControl = 'public, max-age=300';

export interface Representation {
  readonly contentType: string;
  readonly body: EncodedBody;
  /** The identity tag; a compressed body is sent with its coding appended. */
  readonly etag: string;
}

/**
 * Sends a representation in the coding the client prefers, with its validators, or 304 when
 * the client already has it in any coding.
 */
export async function sendRepresentation(req: Request, res: Response, r: Representation): Promise<void> {
  res.setHeader('Cache-Control', cacheControl);
  if (answeredNotModified(req, res, r.etag)) return;
  res.setHeader('Content-Type', r.contentType);
  await sendEncoded(req, res, r.body, r.etag);
}
