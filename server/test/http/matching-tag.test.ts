import { describe, expect, it } from 'vitest';
import { matchingTag } from '../../src/http/encoded-body.js';

describe('matchingTag (If-None-Match, weak comparison)', () => {
  const etag = '"abc"';
  it.each([
    ['"abc"', '"abc"'],
    ['W/"abc"', 'W/"abc"'],
    ['"abc-gzip"', '"abc-gzip"'],
    ['"zzz", "abc-br"', '"abc-br"'],
    ['*', '"abc"'],
  ])('%s matches', (header, held) => {
    expect(matchingTag(header, etag)).toBe(held);
  });

  it.each([undefined, '', '"abd"', '"abc-zip"', 'abc'])('%s does not match', (header) => {
    expect(matchingTag(header, etag)).toBeUndefined();
  });
});
