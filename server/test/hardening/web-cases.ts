import fc from 'fast-check';
import { encodeSegment, type FuzzCase } from './fuzz-cases.js';

/**
 * Generators of valid and hostile requests for everything that is not the Image API: the
 * Presentation resources and data files, Content Search 1.0/2.0, the pages, oEmbed and the
 * viewer's files. Statuses: a resource we publish is 200, an unknown one 404, a malformed
 * percent-encoding 400 (or 404: it cannot name anything we publish).
 */

export interface WebTarget {
  /** The document's id and the data files its manifests link to. */
  readonly documentId: string;
  readonly files: readonly string[];
}

/** Path segments that try to climb out of a folder or smuggle bytes past a check. */
export const traversalSegments = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%2e.',
  '%252e%252e',
  '..%2f',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '..%5c..%5c',
  '..\\..\\',
  '%5c..%5c',
  '%c0%ae%c0%ae',
  '%c0%af',
  '%e0%80%ae',
  '%00',
  'x%00.json',
  '%2fetc%2fpasswd',
  '....//',
  '.git',
  '.env',
] as const;

const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', 'Москва', 'Сталину Мао', '"', '*', '?', '&', '#', '\u0000', '\uFEFF', '%', '+', 'x'.repeat(3000)),
);

/** An arbitrary string as a query value: encoded, or with broken escapes and overlong UTF-8. */
const queryValue = fc.oneof(anyText.map(encodeSegment), fc.constantFrom('%', '%zz', '%C0%AE', '%FF', 'a%2', '%ED%A0%80'));

export function webCases(target: WebTarget): fc.Arbitrary<FuzzCase> {
  const doc = encodeSegment(target.documentId);
  const version = fc.constantFrom('2', '3');

  const published = fc.oneof(
    version.map((v) => `/iiif/presentation/${v}/${doc}/manifest`),
    fc.constant(`/iiif/presentation/${doc}/manifest`),
    fc.constantFrom(...target.files).map((f) => `/iiif/presentation/${doc}/files/${encodeSegment(f)}`),
    fc.constantFrom('transcription', 'translation').map((l) => `/iiif/presentation/${doc}/text/${l}.txt`),
    fc.constantFrom('/', '/embed', '/?lang=en', '/embed?lang=ru'),
  ).map((path) => ({ path, expected: [200, 303], kind: 'web-published' }));

  const unknown = fc
    .tuple(version, fc.oneof(anyText.filter((s) => s.length > 0).map(encodeSegment), fc.constantFrom(...traversalSegments)))
    .chain(([v, seg]) =>
      fc.constantFrom(
        `/iiif/presentation/${v}/${seg}/manifest`,
        `/iiif/presentation/${v}/${doc}/${seg}`,
        `/iiif/presentation/${v}/${doc}/canvas/${seg}`,
        `/iiif/presentation/${v}/collection/${seg}`,
        `/iiif/presentation/${doc}/files/${seg}`,
        `/iiif/presentation/${doc}/files/${seg}/${seg}`,
        `/iiif/presentation/${doc}/text/${seg}`,
        `/iiif/search/${v === '3' ? '2' : '1'}/${seg}?q=a`,
        `/viewer/${seg}`,
        `/viewer/assets/${seg}`,
        `/${seg}`,
      ),
    )
    .map((path) => ({ path, expected: [400, 404], kind: 'web-unknown' }));

  const search = fc
    .tuple(
      fc.constantFrom(`/iiif/search/2/${doc}`, `/iiif/search/1/${doc}`, `/iiif/search/1/${doc}/presentation-2`),
      fc.constantFrom('', '/autocomplete'),
      fc.constantFrom('q', 'motivation', 'page', 'date', 'user', 'min', 'q[]'),
      queryValue,
      queryValue,
    )
    .map(([root, sub, param, a, b]) => ({
      path: `${root}${sub}?q=${a}&${param}=${b}`,
      // An answer (maybe empty), or a 400 for what the service refuses (NUL, an overlong query…);
      // a page beyond the last one of the result does not exist (404).
      expected: param === 'page' ? [200, 400, 404] : [200, 400],
      kind: 'search',
    }));

  const pages = fc
    .tuple(fc.constantFrom('/', '/embed', '/oembed'), fc.constantFrom('lang', 'manifest', 'canvas', 'xywh', 'iiif-content', 'url', 'format', 'maxwidth'), queryValue)
    .map(([page, param, v]) => ({
      path: `${page}?${param}=${v}`,
      // oEmbed 1.0 answers an unknown URL with 404 and an unsupported format with 501.
      expected: page === '/oembed' ? [200, 400, 404, 501] : [200, 400],
      kind: `page${page === '/' ? '' : page.replace('/', '-')}`,
    }));

  return fc.oneof(
    { arbitrary: published, weight: 2 },
    { arbitrary: unknown, weight: 4 },
    { arbitrary: search, weight: 3 },
    { arbitrary: pages, weight: 2 },
  );
}
