/** The command line of `npm run export` (export.ts), parsed without side effects. */
import path from 'node:path';
import { parseArgs } from 'node:util';

export const help = `Usage: npm run export -- --out DIR --base-url URL [--search-url URL] [--lang ru|en]

Writes the edition as plain files that a static web server, object store or CDN serves:
level-0 IIIF Image API 3.0 and 2.1 services (info.json, tiles, sizes, full/max) of every
image in IMAGES_DIR, the Presentation 3.0 and 2.1 manifests, collections, annotations and
ranges, the text, ALTO, PDF and citation files, and the viewer pages at the service's URLs:
documents/{doc} and embed/{doc} for every document, the root page (the document's when there is
one, the browse page when several) and embed.

  --out DIR          folder to write; replaced whole when the export is done. It must be new,
                     empty, or an earlier export. Unchanged images are taken over, not redone.
  --base-url URL     the URL the folder will be served at (http or https, no query): every
                     id in the edition starts with it
  --search-url URL   base URL of a running service that answers IIIF Content Search for these
                     documents; only then do the manifests declare search. It is asked
                     first, and its hits must target the edition's canvases (run it with
                     PUBLIC_BASE_URL set to the --base-url)
  --lang ru|en       language of the pages at those URLs (default ru, as the service answers a
                     browser that states none); the other language's are below en/ (or ru/)
  -h, --help         this text

The host must answer a path P that is not a file with P.json or P.html (nginx:
try_files $uri $uri.json $uri.html $uri/index.html =404); see docs/deploying.md.
Reads IMAGES_DIR, MANIFESTS_DIR, CACHE_DIR, TILE_SIZE and the MAX_* limits like the service.
`;

/** A bad command line: exit 2 with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The options, or null for --help; throws UsageError. */
export function parseCommandLine(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        'base-url': { type: 'string' },
        'search-url': { type: 'string' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  if (!values.out) throw new UsageError('--out DIR is required');
  if (!values['base-url']) throw new UsageError('--base-url URL is required');
  const base = httpUrl(values['base-url'], '--base-url');
  const searchUrl = values['search-url'] === undefined ? null : httpUrl(values['search-url'], '--search-url');
  const lang = values.lang ?? 'ru';
  if (lang !== 'ru' && lang !== 'en') throw new UsageError(`--lang must be ru or en, not "${lang}"`);
  return { outDir: path.resolve(values.out), base, searchUrl, lang: lang as 'ru' | 'en' };
}

/** An absolute http(s) URL without query or fragment, without its trailing slash. */
function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be http or https, not ${url.protocol}`);
  if (url.search || url.hash || value.includes('?') || value.includes('#')) throw new UsageError(`${flag} must have no query or fragment`);
  return url.href.replace(/\/+$/, '');
}
