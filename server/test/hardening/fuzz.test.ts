import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import type { FuzzCase } from './fuzz-cases.js';
import { fuzzCases, problems, startFuzzTarget, type FuzzTarget } from './fuzz-target.js';

let target: FuzzTarget;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(async () => {
  agent.destroy();
  await target.close();
});

/** Sent as written, over the shared keep-alive agent; a request that hangs fails. */
const get = (path: string) => request(target.url, path, { agent, timeoutMs: 10_000 });

/** One request: its answer must have none of the problems fuzz-target.ts lists. */
async function check(c: FuzzCase): Promise<void> {
  const res = await get(c.path);
  const where = `${c.kind}: GET ${c.path} → ${res.status} ${res.body.subarray(0, 200).toString()}`;
  expect(problems(c, res, target), where).toEqual([]);
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
    ['a JPEG 2000 request', '/iiif/3/p1/full/max/0/default.jp2', 200],
    ['a PDF request', '/iiif/2/p1/full/full/90/bitonal.pdf', 200],
    ['a search page beyond the last', '/iiif/search/2/rgaspi-f558-op11-d340-l43-45?q=&page=2', 404],
  ])('answers %s as the spec asks', async (_name, path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
  });

  it('refuses a request line longer than the server accepts with a 4xx', async () => {
    const res = await get(`/iiif/3/${'a'.repeat(20_000)}/info.json`);
    expect([414, 431]).toContain(res.status);
  });
});
