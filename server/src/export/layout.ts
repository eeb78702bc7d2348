/**
 * Where each published URL lives in a static edition. A path is the URL's path below the
 * base URL, segment by segment; a resource without a file extension gets the one of its media
 * type (`.json`, `.html`), because our ids nest (`…/canvas/l043` and `…/canvas/l043/painting`)
 * and a folder cannot also be a file. The host maps `P` to `P.json` or `P.html` when `P` is not
 * a file (nginx `try_files $uri $uri.json $uri.html`, sirv `extensions`), see docs/deploying.md.
 * A URL ending in `/` is its folder's `index.html`, as hosts serve it.
 */

export class LayoutError extends Error {
  override name = 'LayoutError';
}

const extensionOf: readonly [RegExp, string][] = [
  [/json/i, '.json'],
  [/html/i, '.html'],
];

/** The path, relative to the edition's folder and with `/` separators, of the file serving `url`. */
export function editionPath(base: string, url: string, mediaType: string): string {
  const prefix = `${base}/`;
  if (!url.startsWith(prefix)) throw new LayoutError(`${url} is not under the base URL ${base}`);
  const rest = url.slice(prefix.length);
  if (/[?#]/.test(rest)) throw new LayoutError(`${url}: a static file cannot answer a query or fragment`);
  if (rest === '') return 'index.html';
  const folder = rest.endsWith('/');
  const segments = (folder ? rest.slice(0, -1) : rest).split('/').map((s) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      throw new LayoutError(`${url}: malformed percent-encoding`);
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) {
      throw new LayoutError(`${url}: the segment "${s}" cannot name a file`);
    }
    return decoded;
  });
  if (folder) return [...segments, 'index.html'].join('/');
  const last = segments[segments.length - 1]!;
  const ext = extensionOf.find(([type]) => type.test(mediaType))?.[1];
  if (ext && !last.toLowerCase().endsWith(ext)) segments[segments.length - 1] = `${last}${ext}`;
  return segments.join('/');
}

/** The URL path of the base (`/edition`, or `` at a host's root), for root-relative links. */
export function basePath(base: string): string {
  return new URL(base).pathname.replace(/\/+$/, '');
}
