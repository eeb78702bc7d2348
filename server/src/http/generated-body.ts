import { LRUCache } from 'lru-cache';
import { strongEtag } from '../image/validators.js';
import type { Representation } from './representation.js';
import { EncodedBody } from './encoded-body.js';

/**
 * Representations of small generated documents (citation files, change pages, sitemap),
 * keyed by their content's strong ETag: the same bytes are hashed per request but compressed
 * once, however often they are asked for.
 */
export function generatedBodies(max = 64): (contentType: string, text: string) => Representation {
  const bodies = new LRUCache<string, EncodedBody>({ max });
  return (contentType, text) => {
    const identity = Buffer.from(text);
    const etag = strongEtag([contentType, identity]);
    let body = bodies.get(etag);
    if (!body) bodies.set(etag, (body = new EncodedBody(identity)));
    return { contentType, body, etag };
  };
}
