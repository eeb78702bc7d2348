import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.js';
import { traversalSegments } from './web-cases.js';

let target: FuzzTarget;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
/** Sent as written, over the shared keep-alive agent; a request that hangs fails. */
const get = (path: string) => request(target.url, path, { agent, timeoutMs: 10_000 });

beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(async () => {
  agent.destroy();
  await target.close();
});

/** Names outside (or unpublished inside) the served folders. */
const names = ['secret.txt', 'outside', 'package.json', 'etc/passwd', '.vite/secret.txt'];
const separators = ['/', '%2f', '%5c', '\\', '%252f'];

/** `..` in every spelling, joined to each name with every separator, 1–4 levels deep. */
function climbs(): string[] {
  const out = new Set<string>();
  for (const dots of traversalSegments) {
    for (const sep of separators) {
      // Deeper climbs for the plain spellings; one level is enough to test the others.
      const depths = ['..', '%2e%2e', '..\\'].includes(dots) ? [1, 3] : [1];
      for (const depth of depths) {
        for (const name of names) out.add(`${`${dots}${sep}`.repeat(depth)}${name.replaceAll('/', sep)}`);
      }
    }
  }
  for (const name of names) {
    out.add(name);
    out.add(`%2f${name}`); // absolute
    out.add(`${encodeURIComponent('/tmp/')}${name}`);
  }
  return [...out];
}

/** Every route that reads a file: image sources (and their derivatives), data files, viewer files. */
function routes(t: FuzzTarget): ((p: string) => string)[] {
  const doc = encodeURIComponent(t.documents[0]!.id);
  return [
    (p) => `/iiif/3/${p}/info.json`,
    (p) => `/iiif/2/${p}/full/max/0/default.jpg`,
    (p) => `/iiif/3/${p}`,
    (p) => `/iiif/presentation/${doc}/files/${p}`,
    (p) => `/iiif/presentation/3/${doc}/${p}`,
    (p) => `/iiif/presentation/${p}`,
    (p) => `/viewer/${p}`,
    (p) => `/viewer/assets/${p}`,
    (p) => `/${p}`,
  ];
}

describe('path traversal', () => {
  it('never serves a file outside its folder, for any spelling of ".." on any route that reads files', async () => {
    const corpus = climbs();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const paths = routes(target).flatMap((route) => corpus.map(route));
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const res = await get(path);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const body = res.body.toString('latin1');
        if (res.status !== 400 && res.status !== 404) failures.push(`${path} → ${res.status}`);
        if (body.includes(target.sentinel.content) || body.includes('root:x:0:0') || body.includes('"devDependencies"')) {
          failures.push(`${path} → served a file outside its folder`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failures).toEqual([]);
    expect(paths.length).toBeGreaterThan(3000);
  }, 120_000);

  it('serves the published files themselves, so the corpus above is not refused for another reason', async () => {
    const doc = target.documents[0]!;
    const file = doc.leaves[0]!.transcription.file;
    const ok = [
      `/iiif/presentation/${encodeURIComponent(doc.id)}/files/${encodeURIComponent(file)}`,
      '/viewer/assets/document-0a1b2c.js',
      '/iiif/3/p1/info.json',
    ];
    for (const path of ok) expect((await get(path)).status, path).toBe(200);
  });

  it('does not follow a link in IMAGES_DIR that points out of it', async () => {
    expect((await get('/iiif/3/link/info.json')).status).toBe(404);
    expect((await get('/iiif/3/outside/info.json')).status).toBe(404);
  });

  it('lists no directory: folders answer 404, never an index', async () => {
    for (const path of ['/viewer/', '/viewer/assets/', '/viewer/assets', '/viewer/.vite/', '/iiif/', '/iiif/3/', '/iiif/presentation/', `/iiif/presentation/${encodeURIComponent(target.documents[0]!.id)}/files/`]) {
      const res = await get(path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString(), path).not.toMatch(/document-0a1b2c|<ul|Index of/i);
    }
  });
});
