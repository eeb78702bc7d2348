import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import type { FuzzCase } from './fuzz-cases.js';
import { fuzzCases, startFuzzTarget, type FuzzTarget } from './fuzz-target.js';
import { rawGet } from './raw-get.js';

let target: FuzzTarget;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(async () => {
  agent.destroy();
  await target.close();
});

/**
 * One request: the status must be one the spec allows for the case; nothing may hang, no
 * status is 5xx (but the spec's 501), and no body names a local folder or carries a stack trace.
 */
async function check(c: FuzzCase): Promise<void> {
  const res = await rawGet(target.url, c.path, agent);
  const where = `${c.kind}: GET ${c.path} → ${res.status} ${res.body.subarray(0, 200).toString()}`;
  // The one 5xx the spec asks for is 501, for a valid request of a feature not offered.
  if (res.status !== 501) expect(res.status, where).toBeLessThan(500);
  expect(c.expected, where).toContain(res.status);
  if (res.status >= 400) {
    const text = res.body.toString('utf8');
    expect(text, where).not.toContain(projectRoot);
    expect(text, where).not.toContain(target.config.imagesDir);
    expect(text, where).not.toMatch(/\n\s+at /);
    expect(res.headers['content-type'], where).toBe('text/plain; charset=utf-8');
  } else if (res.status === 200 && c.kind.startsWith('valid')) {
    expect(res.headers['content-type'], where).toMatch(/^image\//);
    expect(res.body.length, where).toBeGreaterThan(0);
  }
}

describe('fuzzing the Image API (3.0 and 2.1), presentation, search and pages', () => {
  it('answers 1,000 random and hostile requests with the status the spec asks for, never a 5xx or a hang', async () => {
    await fc.assert(fc.asyncProperty(fuzzCases(target), check), { numRuns: 1000 });
  }, 180_000);

  it.each([
    ['negative zero', '/iiif/3/p1/-0,0,10,10/max/0/default.jpg', 400],
    ['exponent notation', '/iiif/3/p1/full/max/1e2/default.jpg', 400],
    ['a NUL in the identifier', '/iiif/3/p1%00/info.json', 404],
    ['overlong UTF-8 for "."', '/iiif/3/%C0%AE%C0%AE/info.json', 400],
    ['double encoding', '/iiif/3/%252e%252e%252fp1/info.json', 404],
    ['backslashes', '/iiif/2/..\\..\\p1/info.json', 404],
    ['an identifier past any file name length', `/iiif/3/${'a'.repeat(5000)}/info.json`, 404],
    ['a region past MAX_SAFE_INTEGER', '/iiif/3/p1/99999999999999999999,0,1,1/max/0/default.jpg', 400],
    ['a giant pct: upscale', '/iiif/3/p1/full/^pct:99999999999/0/default.jpg', 400],
    ['an upscale without ^', '/iiif/3/p1/full/301,/0/default.jpg', 400],
    ['an unoffered format', '/iiif/3/p1/full/max/0/default.jp2', 501],
    ['a search page beyond the last', '/iiif/search/2/rgaspi-f558-op11-d340-l43-45?q=&page=2', 404],
  ])('answers %s as the spec asks', async (_name, path, status) => {
    const res = await rawGet(target.url, path, agent);
    expect(res.status).toBe(status);
  });

  it('refuses a request line longer than the server accepts with a 4xx', async () => {
    const res = await rawGet(target.url, `/iiif/3/${'a'.repeat(20_000)}/info.json`, agent);
    expect([414, 431]).toContain(res.status);
  });
});
