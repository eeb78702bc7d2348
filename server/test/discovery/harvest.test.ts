import { readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryRouter } from '../../src/discovery/router.js';
import { type DiscoveryKind, discoveryProblems } from '../../src/discovery/validate.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { listen, type Listening } from '../http/listen.js';
import type { TestServer } from '../helpers/server.js';
import { realDocuments } from '../presentation/real-data.js';
import { startPresentationServer } from '../presentation/presentation-server.js';

const discoveryType = 'application/ld+json;profile="http://iiif.io/api/discovery/1/context.json"';

interface Activity {
  type: string;
  object: { id: string; type: string };
  endTime: string;
}
interface Page {
  id: string;
  prev?: { id: string };
  next?: { id: string };
  startIndex: number;
  orderedItems: Activity[];
}

/** GETs a Change Discovery document and checks it against our schema and the media type. */
async function fetchValid<T>(url: string, kind: DiscoveryKind): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get('content-type')).toBe(discoveryType);
  const json = (await res.json()) as T;
  expect(discoveryProblems(kind, json), url).toEqual([]);
  return json;
}

/**
 * A harvester as the API's processing algorithm describes it: from the collection to its last
 * page, then back through `prev` to the first, reading each page's activities newest first,
 * keeping the first (newest) activity seen for each resource.
 */
async function harvest(collectionUrl: string) {
  const collection = await fetchValid<{ totalItems: number; first: { id: string }; last: { id: string } }>(collectionUrl, 'collection');
  const seen = new Map<string, Activity>();
  const pages: Page[] = [];
  let count = 0;
  let newer = '9999';
  for (let url: string | undefined = collection.last.id; url; ) {
    const page: Page = await fetchValid<Page>(url, 'page');
    pages.unshift(page);
    for (const activity of [...page.orderedItems].reverse()) {
      expect(activity.endTime <= newer, 'activities run from oldest to newest').toBe(true);
      newer = activity.endTime;
      count += 1;
      if (!seen.has(activity.object.id)) seen.set(activity.object.id, activity);
    }
    url = page.prev?.id;
  }
  expect(pages[0]!.id).toBe(collection.first.id);
  expect(count).toBe(collection.totalItems);
  pages.forEach((page, i) => expect(page.next?.id).toBe(pages[i + 1]?.id));
  const live = [...seen.values()].filter((a) => a.type !== 'Delete');
  return {
    pages,
    manifests: live.filter((a) => a.object.type === 'Manifest').map((a) => a.object.id).sort(),
    collections: live.filter((a) => a.object.type === 'Collection').map((a) => a.object.id).sort(),
    activities: [...seen.values()],
  };
}

/** What the service publishes: every manifest and collection reachable from the top collection. */
async function published(topCollection: string) {
  const manifests: string[] = [];
  const collections: string[] = [];
  const queue = [topCollection];
  while (queue.length > 0) {
    const id = queue.shift()!;
    collections.push(id);
    const res = await fetch(id);
    expect(res.status, id).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; type: string }[] };
    for (const item of items) (item.type === 'Collection' ? queue : manifests).push(item.id);
  }
  return { manifests: manifests.sort(), collections: collections.sort() };
}

let server: TestServer;
let paged: Listening;

beforeAll(async () => {
  server = await startPresentationServer();
  // The same stream, one activity to a page, so that the walk crosses pages.
  const app = express();
  app.set('etag', false);
  app.use('/iiif/discovery', discoveryRouter({ config: server.config, documents: await realDocuments(), images: server.images, pageSize: 1 }));
  app.use(notFound);
  app.use(errorHandler);
  paged = await listen(app);
});
afterAll(async () => {
  await paged?.close();
  await server?.close();
});

describe('a harvester of /iiif/discovery/changes', () => {
  it('rebuilds from the stream the manifests and collections the service publishes, each of which it can fetch', async () => {
    const found = await harvest(`${server.url}/iiif/discovery/changes`);
    const expected = await published(`${server.url}/iiif/presentation/3/collection/rgaspi-f558`);
    expect(found.manifests).toEqual(expected.manifests);
    expect(found.manifests).toEqual([`${server.url}/iiif/presentation/3/rgaspi-f558-op11-d340-l43-45/manifest`]);
    expect(found.collections).toEqual(expected.collections);
    expect(found.pages).toHaveLength(1);
    for (const id of found.manifests) expect((await fetch(id)).status).toBe(200);
  });

  it('walks page by page from the last to the first when pages are small, and finds the same', async () => {
    const small = await harvest(`${paged.url}/iiif/discovery/changes`);
    const whole = await harvest(`${server.url}/iiif/discovery/changes`);
    expect(small.pages.map((p) => p.startIndex)).toEqual([0, 1, 2, 3]);
    expect(small.manifests.map((id) => new URL(id).pathname)).toEqual(whole.manifests.map((id) => new URL(id).pathname));
    expect(small.collections.map((id) => new URL(id).pathname)).toEqual(whole.collections.map((id) => new URL(id).pathname));
  });

  it('sees a replaced page image as a newer change of its manifest, at the end of the stream', async () => {
    const later = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
    const image = (await readdir(server.imagesDir)).find((f) => f.startsWith('rgaspi-f558-op11-d340-l044'))!;
    await utimes(path.join(server.imagesDir, image), later, later);
    const { activities } = await harvest(`${server.url}/iiif/discovery/changes`);
    const newest = activities[0]!;
    expect(newest.object).toEqual({ id: `${server.url}/iiif/presentation/3/rgaspi-f558-op11-d340-l43-45/manifest`, type: 'Manifest' });
    expect(newest.endTime).toBe(later.toISOString().replace('.000Z', 'Z'));
    const collectionTimes = activities.filter((a) => a.object.type === 'Collection').map((a) => a.endTime);
    for (const time of collectionTimes) expect(time < newest.endTime).toBe(true);
  });
});

describe('a harvest of a large archive', () => {
  it('lists the stream once for all the pages asked within recheckMs, so no page reads every image again', async () => {
    let looks = 0;
    const images = { source: (id: string) => (looks++, server.images.source(id)) };
    const app = express();
    app.use('/iiif/discovery', discoveryRouter({ config: server.config, documents: await realDocuments(), images, pageSize: 1, recheckMs: 60_000 }));
    const listening = await listen(app);
    try {
      const harvested = await harvest(`${listening.url}/iiif/discovery/changes`);
      expect(harvested.pages.length).toBeGreaterThan(1);
      const leaves = (await realDocuments()).reduce((n, d) => n + d.leaves.length, 0);
      expect(looks).toBe(leaves);
    } finally {
      await listening.close();
    }
  });
});

describe('the Change Discovery documents over HTTP', () => {
  const changes = () => `${server.url}/iiif/discovery/changes`;

  it('are JSON-LD with the Discovery profile, plain JSON for a client that accepts only that, and 406 otherwise', async () => {
    const json = await fetch(changes(), { headers: { Accept: 'application/json' } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('vary')).toMatch(/Accept/);
    const html = await fetch(changes(), { headers: { Accept: 'text/html' } });
    expect(html.status).toBe(406);
  });

  it('may be read from any origin and revalidated with their ETag', async () => {
    const first = await fetch(`${changes()}/page/0`, { headers: { Origin: 'https://aggregator.example' } });
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const again = await fetch(`${changes()}/page/0`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it.each(['1', '01', '-1', 'x', '1e3', '99999999999'])('answers 404 for page %s', async (n) => {
    const res = await fetch(`${changes()}/page/${n}`);
    expect(res.status).toBe(404);
  });

  it('has its ids at the public base URL', async () => {
    const proxied = await startPresentationServer({ PUBLIC_BASE_URL: 'https://iiif.example.org/archive' });
    try {
      const collection = (await (await fetch(`${proxied.url}/iiif/discovery/changes`)).json()) as { id: string; last: { id: string } };
      expect(collection.id).toBe('https://iiif.example.org/archive/iiif/discovery/changes');
      expect(collection.last.id).toBe('https://iiif.example.org/archive/iiif/discovery/changes/page/0');
    } finally {
      await proxied.close();
    }
  });
});
