import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { documentId } from './real-data.js';
import { startPresentationServer } from './presentation-server.js';
import { IdentityLedger } from '../../src/presentation/identity.js';
import type { Manifest3 } from '../../src/presentation/build-manifest.js';
import type { TestServer } from '../helpers/server.js';

/** The shapes these tests read back: our builders' own output types, or the few fields a test looks at. */
type Manifest2 = { '@id': string; sequences: { canvases: { images: { resource: { service: { '@id': string } } }[] }[] }[] };
type TextPage = { items: { target: string }[] };

const v3 = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';
const v2 = 'application/ld+json;profile="http://iiif.io/api/presentation/2/context.json"';
const contentType = (version: 2 | 3) => `application/ld+json;profile="http://iiif.io/api/presentation/${version}/context.json"`;

let server: TestServer;
const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.url}${p}`, { headers });
const manifest3 = `/iiif/presentation/3/${documentId}/manifest`;
const manifest2 = `/iiif/presentation/2/${documentId}/manifest`;
const negotiated = `/iiif/presentation/${documentId}/manifest`;

beforeAll(async () => {
  server = await startPresentationServer();
});
afterAll(() => server.close());

/** An autocomplete endpoint is a query service: without its required `q` it answers 400, by design. */
const isQueryEndpoint = (o: Record<string, unknown>) => /autocomplete/i.test(JSON.stringify([o.type, o['@type'], o.profile]));

/**
 * Every URL a resource names (fragments dropped): ids, and the bare URI references 2.1 and
 * paging use (`within`, `first`, `next`, `on`, range `canvases`…).
 */
function publishedIds(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string' && /^https?:\/\//.test(value)) out.add(value.split('#')[0]!);
  else if (Array.isArray(value)) value.forEach((v) => publishedIds(v, out));
  else if (value && typeof value === 'object' && !isQueryEndpoint(value as Record<string, unknown>)) {
    for (const [key, v] of Object.entries(value)) if (key !== '@context') publishedIds(v, out);
  }
  return out;
}

describe('every id we publish dereferences, and names one resource of one type', () => {
  it('crawling both manifests, the collections and everything they name: 200 for each of our ids, no id with two types or two bodies', async () => {
    const seen = new Set<string>();
    const queue = [`${server.url}${manifest3}`, `${server.url}${manifest2}`];
    const failures: string[] = [];
    const ledger = new IdentityLedger();
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url) || !url.startsWith(`${server.url}/`)) continue;
      seen.add(url);
      const response = await fetch(url);
      if (response.status !== 200) failures.push(`${response.status} ${url}`);
      if (!(response.headers.get('content-type') ?? '').startsWith('application/ld+json')) {
        await response.arrayBuffer();
        continue;
      }
      const json: unknown = await response.json();
      // An info.json describes its service in more detail than a manifest's entry for it does
      // (2.1: a profile list against the compliance URI): there the type must agree, not the body.
      ledger.record(json, url.slice(server.url.length), { typeOnly: /^\/iiif\/[23]\//.test(new URL(url).pathname) });
      for (const id of publishedIds(json)) queue.push(id);
    }
    expect(failures).toEqual([]);
    expect(ledger.conflicts()).toEqual([]);
    const paths = [...seen].map((u) => u.slice(server.url.length));
    // Canvases, pages, annotations, collections, ranges, files and images were all reached.
    for (const pattern of [
      /\/canvas\/l43$/,
      /\/annotations\/transcription\/l44$/,
      /\/annotations\/translation$/,
      /\/annotations\/transcription\/l45\/l45-b1-l1$/,
      /\/range\/agenda-3$/,
      /^\/iiif\/presentation\/3\/collection\/rgaspi-f558$/,
      /^\/iiif\/presentation\/2\/collection\/rgaspi-f558$/,
      /\/files\/l043\.alto\.xml$/,
      /\/text\/translation\.txt$/,
      /^\/iiif\/3\/rgaspi-f558-op11-d340-l043$/,
      /^\/iiif\/2\/rgaspi-f558-op11-d340-l045\/full\/\d+,\/0\/default\.jpg$/,
      /^\/$/,
    ]) {
      expect(paths.some((p) => pattern.test(p)), String(pattern)).toBe(true);
    }
  }, 120_000);
});

describe('HTTP (Presentation 3.0 §6)', () => {
  it('serves 3.0 and 2.1 with their profile media types, CORS, Cache-Control and a strong ETag', async () => {
    for (const [p, version] of [
      [manifest3, 3],
      [manifest2, 2],
    ] as const) {
      const r = await get(p);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(contentType(version));
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('cache-control')).toBe('public, max-age=300');
      expect(r.headers.get('etag')).toMatch(/^"[\w-]+"$/);
      const body = (await r.json()) as { '@context': string };
      expect(body['@context']).toBe(`http://iiif.io/api/presentation/${version}/context.json`);
    }
  });

  it('negotiates the unversioned manifest on the Accept profile, default 3, with Vary: Accept', async () => {
    for (const [accept, version] of [
      [v2, 2],
      [v3, 3],
      ['application/ld+json', 3],
      ['*/*', 3],
      [`${v2};q=0.5, ${v3}`, 3],
      [`${v3};q=0.1, ${v2}`, 2],
    ] as const) {
      const r = await get(negotiated, { accept });
      expect(r.status, accept).toBe(200);
      expect(r.headers.get('content-type')).toBe(contentType(version));
      expect(r.headers.get('vary')).toMatch(/\bAccept\b/);
      expect(r.headers.get('content-location')).toBe(`${server.url}/iiif/presentation/${version}/${documentId}/manifest`);
      const body = (await r.json()) as { '@context': string };
      expect(body['@context']).toBe(`http://iiif.io/api/presentation/${version}/context.json`);
    }
    const plain = await fetch(`${server.url}${negotiated}`);
    expect(plain.headers.get('content-type')).toBe(contentType(3));
  });

  it('answers 406 when only unsupported profiles are acceptable', async () => {
    for (const accept of ['application/ld+json;profile="http://iiif.io/api/presentation/4/context.json"', 'text/html']) {
      const r = await get(negotiated, { accept });
      expect(r.status, accept).toBe(406);
      expect(r.headers.get('vary')).toMatch(/\bAccept\b/);
      expect(await r.text()).toMatch(/presentation\/3\/context\.json/);
    }
  });

  it('answers 304 to a revalidation, for plain and compressed representations alike', async () => {
    const plain = await get(manifest3, { 'accept-encoding': 'identity' });
    const etag = plain.headers.get('etag')!;
    const gzip = await get(manifest3, { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const gzipTag = gzip.headers.get('etag')!;
    expect(gzipTag).toBe(`${etag.slice(0, -1)}-gzip"`);
    expect(gzip.headers.get('vary')).toMatch(/Accept-Encoding/);
    for (const tag of [etag, gzipTag, `W/${etag}`, `"other", ${etag}`]) {
      const r = await get(manifest3, { 'if-none-match': tag });
      expect(r.status, tag).toBe(304);
      expect(await r.text()).toBe('');
    }
    expect((await get(manifest3, { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('answers a CORS preflight for the profile Accept header', async () => {
    const r = await fetch(`${server.url}${negotiated}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://portal.example', 'access-control-request-headers': 'accept' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-headers')).toMatch(/accept/i);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    for (const coding of ['identity', 'gzip', 'br']) {
      const headers = { 'accept-encoding': coding };
      const head = await fetch(`${server.url}${manifest3}`, { method: 'HEAD', headers });
      const got = await get(manifest3, headers);
      expect(head.status).toBe(200);
      for (const name of ['etag', 'content-encoding', 'content-length', 'content-type', 'vary']) {
        expect(head.headers.get(name), `${coding} ${name}`).toBe(got.headers.get(name));
      }
      expect(await head.text()).toBe('');
    }
  });

  it('serves the ALTO and text files from the document folder, and nothing else from it', async () => {
    const alto = await get(`/iiif/presentation/${documentId}/files/l043.alto.xml`);
    expect(alto.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(await alto.text()).toBe(
      await readFile(path.join(projectRoot, 'manifests', documentId, 'l043.alto.xml'), 'utf8'),
    );
    const text = await get(`/iiif/presentation/${documentId}/text/transcription.txt`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toMatch(/^\[л\. 43\]\n\nТоварищ Филиппов!/);
    for (const name of ['record.json', '..%2Frecord.json', '..%2F..%2Fpackage.json', '%2Fetc%2Fpasswd', 'source', 'l043.alto.xml%00']) {
      const r = await get(`/iiif/presentation/${documentId}/files/${name}`);
      expect(r.status, name).toBe(404);
    }
  });

  it('serves the data files with their media type, compressed on request, and 304 to a revalidation', async () => {
    const file = `/iiif/presentation/${documentId}/files/l043.en.json`;
    const plain = await get(file, { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
    const bytes = Buffer.from(await plain.arrayBuffer());
    expect(bytes.equals(await readFile(path.join(projectRoot, 'manifests', documentId, 'l043.en.json')))).toBe(true);
    const br = await get(file, { 'accept-encoding': 'br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Buffer.from(await br.arrayBuffer()).equals(bytes)).toBe(true); // fetch decodes it
    const etag = plain.headers.get('etag')!;
    expect(br.headers.get('etag')).toBe(`${etag.slice(0, -1)}-br"`);
    const again = await get(file, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('answers 404 for unknown documents and resources, 400 for malformed encoding, 405 for writes, never 500', async () => {
    for (const p of [
      '/iiif/presentation/3/nope/manifest',
      '/iiif/presentation/nope/manifest',
      `/iiif/presentation/3/${documentId}/canvas/l99`,
      `/iiif/presentation/3/${documentId}/annotations/transcription/l43/nope`,
      '/iiif/presentation/3/collection/nope',
      `/iiif/presentation/4/${documentId}/manifest`,
      '/iiif/presentation/',
    ]) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect((await get(`/iiif/presentation/3/${documentId}/canvas/%E0%A4%A`)).status).toBe(400);
    const post = await fetch(`${server.url}${manifest3}`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('ids follow the public base URL', () => {
  it('behind a proxy (TRUST_PROXY): scheme, host and prefix from X-Forwarded-*', async () => {
    const proxied = await startPresentationServer({ TRUST_PROXY: 'true' });
    try {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'iiif.example.org', 'x-forwarded-prefix': '/cable' };
      const r = await fetch(`${proxied.url}${manifest3}`, { headers });
      const m = (await r.json()) as Manifest3;
      const publicBase = 'https://iiif.example.org/cable';
      expect(m.id).toBe(`${publicBase}${manifest3}`);
      expect(m.items[0]!.items[0]!.items[0]!.body.service[0].id).toBe(`${publicBase}/iiif/3/rgaspi-f558-op11-d340-l043`);
      expect([...publishedIds(m)].every((id) => !id.startsWith('http://127.0.0.1'))).toBe(true);
      const direct = await fetch(`${proxied.url}${manifest3}`);
      expect(direct.headers.get('etag')).not.toBe(r.headers.get('etag'));
      // A canvas id minted for the proxy dereferences through it.
      const canvas = await fetch(`${proxied.url}/iiif/presentation/3/${documentId}/canvas/l44`, { headers });
      expect(((await canvas.json()) as { id: string }).id).toBe(`${publicBase}/iiif/presentation/3/${documentId}/canvas/l44`);
    } finally {
      await proxied.close();
    }
  });

  it('PUBLIC_BASE_URL wins over whatever host the request names', async () => {
    const pinned = await startPresentationServer({ PUBLIC_BASE_URL: 'https://cdn.example.net/iiif-cable' });
    try {
      const r = await fetch(`${pinned.url}${manifest2}`, { headers: { 'x-forwarded-host': 'evil.example' } });
      const m = (await r.json()) as Manifest2;
      expect(m['@id']).toBe(`https://cdn.example.net/iiif-cable${manifest2}`);
      expect(m.sequences[0]!.canvases[0]!.images[0]!.resource.service['@id']).toBe(
        'https://cdn.example.net/iiif-cable/iiif/2/rgaspi-f558-op11-d340-l043',
      );
    } finally {
      await pinned.close();
    }
  });
});

/** The image file replaced at once (written aside, renamed over) by one half its size; its new width and height. */
async function halve(file: string): Promise<[number, number]> {
  const { width, height } = await sharp(file).metadata();
  await sharp(await sharp(file).resize(Math.round(width! / 2)).jpeg().toBuffer()).toFile(`${file}.tmp.jpg`);
  await rename(`${file}.tmp.jpg`, file);
  return [Math.round(width! / 2), Math.round(height! / 2)];
}

describe('a real scan replaces a facsimile with no code change', () => {
  it('a manifest takes its images as last looked at within DOCUMENT_RECHECK_MS, and the new scan once that look is made again behind it', async () => {
    const slow = await startPresentationServer({ DOCUMENT_RECHECK_MS: '60000' });
    try {
      const canvasSize = async () => {
        const m = (await (await fetch(`${slow.url}${manifest3}`)).json()) as Manifest3;
        return [m.items[1]!.width, m.items[1]!.height];
      };
      const before = await canvasSize();
      const scan = await halve(path.join(slow.imagesDir, 'rgaspi-f558-op11-d340-l044.jpg'));
      // The image service's own period is 0 here: a manifest held to it would show the scan at once.
      expect(await canvasSize()).toEqual(before);
      await expect.poll(canvasSize, { timeout: 10_000 }).toEqual(scan);
    } finally {
      await slow.close();
    }
  }, 30_000);

  it('the canvas takes the new image size, the targets follow, the ETag changes', async () => {
    const swap = await startPresentationServer();
    try {
      const l44 = `${swap.url}/iiif/presentation/3/${documentId}/annotations/transcription/l44`;
      const before = await fetch(`${swap.url}${manifest3}`);
      const m0 = (await before.json()) as Manifest3;
      const page0 = (await (await fetch(l44)).json()) as TextPage;
      const scan = await halve(path.join(swap.imagesDir, 'rgaspi-f558-op11-d340-l044.jpg'));
      const after = await fetch(`${swap.url}${manifest3}`);
      const m1 = (await after.json()) as Manifest3;
      const [c0, c1] = m1.items as [Manifest3['items'][number], Manifest3['items'][number]];
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
      expect([c1.width, c1.height]).toEqual(scan);
      expect([c0.width, c0.height]).toEqual([m0.items[0]!.width, m0.items[0]!.height]);
      const page1 = (await (await fetch(l44)).json()) as TextPage;
      const box = (a: { target: string }) => a.target.split('#xywh=')[1]!.split(',').map(Number);
      page1.items.forEach((a, i) => {
        const [x, y, w, h] = box(a) as [number, number, number, number];
        expect(x + w <= c1.width! && y + h <= c1.height!).toBe(true);
        // Scaled with the image, not left where the facsimile had it.
        const [x0, y0] = box(page0.items[i]!) as [number, number];
        expect(Math.abs(x - x0 / 2)).toBeLessThanOrEqual(1);
        expect(Math.abs(y - y0 / 2)).toBeLessThanOrEqual(1);
      });
    } finally {
      await swap.close();
    }
  }, 30_000);
});
