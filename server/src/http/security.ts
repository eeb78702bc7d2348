import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Response headers by kind of route. Three kinds:
 * - pages (`/`, viewer assets, anything not listed below): the viewer's CSP, never framed;
 * - `/embed`: the same CSP, but any origin may frame it (library portals);
 * - IIIF resources (`/iiif/…`), oEmbed and the citation files (`/documents/{doc}/cite.*`):
 *   CORS `*` and a cross-origin resource policy, so other viewers and reference managers on
 *   other origins can read them; they are data, never framed.
 */

/** Prefixes of the routes other origins may read (CORS `*`). */
const publicApiPrefixes = ['/iiif', '/oembed'] as const;

const self = "'self'";

/**
 * The viewer's policy. Scripts only from our origin: the Vite build emits module files and
 * no inline script, so no `unsafe-inline`/`unsafe-eval` for scripts.
 * Styles need `'unsafe-inline'`: Mirador creates its own emotion cache (key `mui`) without a
 * nonce, and MUI/emotion and the drag-and-drop layer insert `<style>` elements at run time, so
 * neither a nonce nor hashes can cover them. Inline CSS cannot run code; the remaining risk
 * (CSS-based exfiltration) needs an HTML injection point, and our pages escape what they echo.
 * Images and JSON may come from any https origin (and `data:`/`blob:`, used by OpenSeadragon
 * and thumbnails): a IIIF viewer opens manifests and image services hosted elsewhere.
 */
function viewerDirectives(frameAncestors: string[]) {
  return {
    defaultSrc: [self],
    scriptSrc: [self],
    scriptSrcAttr: ["'none'"],
    styleSrc: [self, "'unsafe-inline'"],
    imgSrc: [self, 'data:', 'blob:', 'https:'],
    connectSrc: [self, 'https:'],
    fontSrc: [self, 'data:'],
    workerSrc: [self, 'blob:'],
    manifestSrc: [self],
    mediaSrc: [self, 'https:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: [self],
    frameAncestors,
    // Off: it would rewrite http subresources to https on a plain-http deployment (localhost).
    upgradeInsecureRequests: null,
  };
}

/**
 * HSTS for our own host only: with includeSubDomains, a deployment at an institution's apex
 * domain would force https on every other site under it for a year.
 */
const hsts = { maxAge: 31_536_000, includeSubDomains: false };

const pageHeaders = helmet({
  strictTransportSecurity: hsts,
  contentSecurityPolicy: { useDefaults: false, directives: viewerDirectives(["'none'"]) },
  frameguard: { action: 'deny' },
});

const embedHeaders = helmet({
  strictTransportSecurity: hsts,
  contentSecurityPolicy: { useDefaults: false, directives: viewerDirectives(['*']) },
  // X-Frame-Options has no "allow any origin" value: leave it out, frame-ancestors rules.
  frameguard: false,
  // A portal that isolates itself (COEP) may still frame us.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
});

const apiHeaders = helmet({
  strictTransportSecurity: hsts,
  // JSON and images: nothing in them may load or run anything.
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null },
  },
  frameguard: { action: 'deny' },
  // Other origins' viewers load our tiles with plain <img> (no-cors): same-origin would block them.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  // Opener isolation is for documents; an image or JSON has no window.
  crossOriginOpenerPolicy: false,
});

const corsAnyOrigin = cors({
  origin: '*',
  methods: ['GET', 'HEAD', 'OPTIONS'],
  // Let cross-origin clients read the IIIF Link headers, validators, back-off and the negotiated manifest's URL.
  exposedHeaders: ['Link', 'ETag', 'Retry-After', 'X-Request-Id', 'Content-Location'],
  maxAge: 86_400,
  optionsSuccessStatus: 204,
});

/** True when `path` is `prefix` itself or below it (`/iiifx` is not under `/iiif`). */
function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Data files served beside a page (its citations) are read by other origins' tools like the IIIF resources. */
const publicDataFiles = /^\/documents\/[^/]+\/cite\.[a-z]+$/;

function isPublicApi(path: string): boolean {
  return publicApiPrefixes.some((p) => under(path, p)) || publicDataFiles.test(path);
}

/**
 * Security headers and CORS for every response; mount before the routers. Errors answered by
 * the error handler go through it too, so a 404 carries the same policy as a 200.
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  if (isPublicApi(req.path)) {
    apiHeaders(req, res, (err?: unknown) => (err ? next(err) : corsAnyOrigin(req, res, next)));
  } else if (under(req.path, '/embed')) {
    embedHeaders(req, res, next);
  } else {
    pageHeaders(req, res, next);
  }
};
