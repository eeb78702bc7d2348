import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import type { TestServer } from '../helpers/server.js';
import { documentId } from '../presentation/real-data.js';
import { startPresentationServer } from '../presentation/presentation-server.js';

let server: TestServer;
let behindProxy: TestServer;
const get = (p: string, headers: Record<string, string> = {}, on = server) => fetch(`${on.url}${p}`, { headers });
const root = `/documents/${documentId}`;

beforeAll(async () => {
  [server, behindProxy] = await Promise.all([
    startPresentationServer(),
    startPresentationServer({ PUBLIC_BASE_URL: 'https://archive.example.org/cable' }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), behindProxy?.close()]);
});

describe('GET /documents/{doc}/cite.{json,bib,ris}', () => {
  it.each([
    ['cite.json', 'application/vnd.citationstyles.csl+json', 'json'],
    ['cite.bib', 'application/x-bibtex; charset=utf-8', 'bib'],
    ['cite.ris', 'application/x-research-info-systems; charset=utf-8', 'ris'],
  ])('%s is served as %s, for download, to any origin, cached like the IIIF resources', async (file, type, extension) => {
    const res = await get(`${root}/${file}`, { Origin: 'https://portal.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${documentId}.${extension}"`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(await res.text()).toContain('RGASPI, f. 558, op. 11, d. 340, ll. 43–45');
  });

  it('answers a revalidation with 304, in any coding', async () => {
    const first = await get(`${root}/cite.json`, { 'Accept-Encoding': 'gzip' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/-gzip"$/);
    const again = await get(`${root}/cite.json`, { 'If-None-Match': etag, 'Accept-Encoding': 'identity' });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('sends a compressed body that decodes to the plain one', async () => {
    const gz = await request(server.url, `${root}/cite.json`, { headers: { 'Accept-Encoding': 'gzip' } });
    const plain = await request(server.url, `${root}/cite.json`);
    expect(gz.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('cites the document page at the public base URL', async () => {
    const items = (await (await get(`${root}/cite.json`, {}, behindProxy)).json()) as { URL: string }[];
    expect(items.map((i) => i.URL)).toEqual(['https://archive.example.org/cable/', 'https://archive.example.org/cable/']);
    expect(await (await get(`${root}/cite.ris`, {}, behindProxy)).text()).toContain('UR  - https://archive.example.org/cable/\r\n');
  });

  it.each([
    ['/documents/no-such-document/cite.bib', 'No document no-such-document'],
    [`${root}/cite.xml`, 'No resource at'],
    [`${root}/cite.`, 'No resource at'],
    [`${root}/cite.bib/x`, 'No resource at'],
  ])('answers 404 for %s', async (path, message) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(message);
  });

  it('answers 400 for a malformed percent-encoding', async () => {
    expect((await get('/documents/%E0%A4%A/cite.bib')).status).toBe(400);
  });
});
