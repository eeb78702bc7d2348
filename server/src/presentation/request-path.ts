import { BadRequestError, NotFoundError } from '../errors.js';

/** What a path under /iiif/presentation/ asks for. */
export type PresentationPath =
  | { kind: 'negotiate'; document: string }
  | { kind: 'collection'; version: 2 | 3; unit: string }
  /** Any other resource of a document: looked up by its id. */
  | { kind: 'resource'; document: string; path: string };

export const mountPath = '/iiif/presentation';

const maxSegment = 256;

/**
 * Parses the path below the mount point (e.g. "/3/doc/canvas/l43"). Segments are decoded and
 * re-encoded, so the returned `path` has exactly the spelling of the ids we mint.
 */
export function parsePresentationPath(path: string): PresentationPath {
  const raw = path.split('/').slice(1);
  if (raw.length === 0 || raw.some((s) => s === '' || s.length > maxSegment)) {
    throw new NotFoundError(`No resource at ${mountPath}${path}`);
  }
  let segments: string[];
  let canonical: string;
  try {
    segments = raw.map((s) => decodeURIComponent(s));
    canonical = `${mountPath}/${segments.map(encodeURIComponent).join('/')}`;
  } catch {
    // Invalid UTF-8 after decoding, or a lone surrogate that cannot be encoded back.
    throw new BadRequestError('Malformed percent-encoding in the path');
  }
  const [first, second, third, ...rest] = segments;
  const version = first === '3' ? 3 : first === '2' ? 2 : null;
  if (version && second === 'collection' && third !== undefined && rest.length === 0) {
    return { kind: 'collection', version, unit: third };
  }
  if (version && second !== undefined && third !== undefined) {
    return { kind: 'resource', document: second, path: canonical };
  }
  if (!version && first !== undefined && second === 'manifest' && third === undefined) {
    return { kind: 'negotiate', document: first };
  }
  // The data files and whole texts: only the names the document publishes exist, so a decoded
  // "../" is just another unknown id.
  if (!version && first !== undefined && (second === 'files' || second === 'text') && third !== undefined && rest.length === 0) {
    return { kind: 'resource', document: first, path: canonical };
  }
  throw new NotFoundError(`No resource at ${mountPath}${path}`);
}
