import { createHash } from 'node:crypto';

/**
 * A strong ETag over the parts that determine a representation's bytes (for an image: the
 * source's content key and the canonical request; for info.json, a manifest or a search
 * answer: its body or what the body is a pure function of). Every equivalent request yields
 * the same tag, and a changed source a new one. Shared by every IIIF route.
 */
export function strongEtag(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  parts.forEach((part, i) => {
    if (i > 0) hash.update('\0');
    hash.update(part);
  });
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}

/**
 * Images: a day fresh, then a week of stale-while-revalidate. Not `immutable`: identifiers
 * are stable but a source may be replaced (a real scan for a facsimile), and the ETag then
 * changes; a day bounds how long a reader sees the old pixels, and revalidation after it is a
 * cheap 304.
 */
export const imageCacheControl = 'public, max-age=86400, stale-while-revalidate=604800';

/** info.json depends on configuration (base URL, limits) as well as the source: an hour. */
export const infoCacheControl = 'public, max-age=3600';
