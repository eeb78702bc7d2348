/**
 * Invalidation of the HTTP cache in front of the instances (deploy/varnish/default.vcl): a
 * `BAN` request whose `X-Ban-Url` header is a regular expression over request paths. The cache
 * accepts it only from its trusted addresses. A cache that cannot be reached is logged, never
 * fatal: its entries then expire by their Cache-Control.
 */
import type { Logger } from 'pino';

/** How long one ban may take before it is given up. */
const BAN_TIMEOUT_MS = 5000;

/** Sends the ban for one image; resolves true when the cache took it, never rejects. */
export type ImageBanner = (imageId: string) => Promise<boolean>;

/**
 * Everything that depends on an image's pixels or size: its Image API 3.0 and 2.1 resources,
 * and the Presentation and Search resources, whose canvases take the image's size.
 */
export function imageBanPattern(imageId: string): string {
  // Identifiers are letters, digits, `.`, `_` and `-` (sources.ts): only `.` is special, and
  // `[.]` keeps backslashes out of the header and the ban expression.
  const escaped = imageId.replace(/\./g, '[.]');
  return `^/iiif/(?:[23]/${escaped}(?:/|$)|presentation/|search/)`;
}

/** A banner for the cache at `purgeUrl` (its origin), or one that does nothing when null. */
export function imageBanner(purgeUrl: string | null, logger: Logger): ImageBanner {
  if (purgeUrl === null) return () => Promise.resolve(false);
  return async (imageId) => {
    const pattern = imageBanPattern(imageId);
    try {
      const res = await fetch(`${purgeUrl}/`, {
        method: 'BAN',
        headers: { 'X-Ban-Url': pattern },
        signal: AbortSignal.timeout(BAN_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (res.ok) {
        logger.info({ id: imageId, cache: purgeUrl }, 'cache told to drop the old image');
        return true;
      }
      logger.warn({ id: imageId, cache: purgeUrl, status: res.status }, 'cache refused the ban; old responses expire by their Cache-Control');
    } catch (err) {
      logger.warn({ err, id: imageId, cache: purgeUrl }, 'cache could not be reached for a ban; old responses expire by their Cache-Control');
    }
    return false;
  };
}
