import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError, HttpError, NotFoundError } from '../../src/errors.js';
import { parsePresentationPath } from '../../src/presentation/request-path.js';

describe('parsePresentationPath', () => {
  it.each([
    ['/doc/manifest', { kind: 'negotiate', document: 'doc' }],
    ['/3/collection/rgaspi-f558', { kind: 'collection', version: 3, unit: 'rgaspi-f558' }],
    ['/2/collection/rgaspi-f558', { kind: 'collection', version: 2, unit: 'rgaspi-f558' }],
    ['/doc/files/l043.alto.xml', { kind: 'resource', document: 'doc', path: '/iiif/presentation/doc/files/l043.alto.xml' }],
    ['/3/doc/manifest', { kind: 'resource', document: 'doc', path: '/iiif/presentation/3/doc/manifest' }],
    ['/2/doc/canvas/l43', { kind: 'resource', document: 'doc', path: '/iiif/presentation/2/doc/canvas/l43' }],
    ['/doc/text/transcription.txt', { kind: 'resource', document: 'doc', path: '/iiif/presentation/doc/text/transcription.txt' }],
  ])('%s', (path, expected) => {
    expect(parsePresentationPath(path)).toEqual(expected);
  });

  it('re-encodes segments the way ids are minted, whatever spelling the client used', () => {
    expect(parsePresentationPath('/3/doc/range/%61genda')).toMatchObject({ path: '/iiif/presentation/3/doc/range/agenda' });
  });

  it('keeps an encoded traversal inside one file name segment: an id that no document publishes', () => {
    expect(parsePresentationPath('/doc/files/..%2F..%2Fetc%2Fpasswd')).toEqual({
      kind: 'resource',
      document: 'doc',
      path: '/iiif/presentation/doc/files/..%2F..%2Fetc%2Fpasswd',
    });
  });

  it.each(['/', '/doc', '/doc/other', '/3', '/3/doc', '/doc//manifest', `/${'x'.repeat(300)}/manifest`, '/4/doc/manifest/x/y/z/w'])(
    '%s → 404',
    (path) => {
      expect(() => parsePresentationPath(path)).toThrow(NotFoundError);
    },
  );

  it('malformed percent-encoding → 400', () => {
    expect(() => parsePresentationPath('/3/doc/canvas/%E0%A4%A')).toThrow(BadRequestError);
  });

  it('answers any path with a request or a 400/404, never another error', () => {
    const segment = fc.oneof(
      fc.constantFrom('3', '2', 'collection', 'manifest', 'files', 'text', '..', '%2e%2e', '%2F', '%00', '%', '%E0%A4%A', 'doc'),
      fc.string({ unit: 'binary', maxLength: 40 }).map((t) => t.replace(/[/?#]/g, '')),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        try {
          const parsed = parsePresentationPath(`/${segments.join('/')}`);
          if (parsed.kind === 'resource') expect(parsed.path.startsWith('/iiif/presentation/')).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(HttpError);
          expect([400, 404]).toContain((err as HttpError).status);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
