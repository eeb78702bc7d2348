import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import { createImageBackend, type ImageService } from '../../src/image/backend.js';
import { listen, memoryLogger, type Listening } from '../http/listen.js';
import { schemaProblems, type Search1, type Search2 } from './response-schemas.js';

// The whole service: the manifests declare the search services, and their hits land on the
// canvases of the manifest that declared them, inside each canvas.

const docId = 'rgaspi-f558-op11-d340-l43-45';
let server: Listening;
let images: ImageService;

beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  const { logger } = memoryLogger('silent');
  const documents = await loadDocuments(config.manifestsDir);
  images = createImageBackend(config, logger, { ingestOnDemand: false });
  server = await listen(createApp({ config, logger, documents, images }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await images?.close();
});

interface Service {
  id?: string;
  '@id'?: string;
  type?: string;
  '@type'?: string;
  profile?: string;
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

/** Every `canvas#xywh=x,y,w,h` target lies on a canvas of the manifest, inside it. */
function expectOnCanvases(targets: string[], canvases: Map<string, { width: number; height: number }>) {
  expect(targets.length).toBeGreaterThan(0);
  for (const target of targets) {
    const [canvas, fragment] = target.split('#');
    const size = canvases.get(canvas!);
    expect(size, target).toBeDefined();
    const [x, y, w, h] = fragment!.replace('xywh=', '').split(',').map(Number) as [number, number, number, number];
    expect(x + w <= size!.width && y + h <= size!.height && w > 0 && h > 0, target).toBe(true);
  }
}

describe('search wired into the service', () => {
  it('is declared in the 3.0 manifest, and its hits target that manifest’s canvases', async () => {
    const manifest = await json<{ service: Service[]; items: { id: string; width: number; height: number }[] }>(
      `${server.url}/iiif/presentation/3/${docId}/manifest`,
    );
    const canvases = new Map(manifest.items.map((c) => [c.id, c]));
    const v2 = manifest.service.find((s) => s.type === 'SearchService2');
    const v1 = manifest.service.find((s) => s.profile === 'http://iiif.io/api/search/1/search');
    expect(v2?.id).toBe(`${server.url}/iiif/search/2/${docId}`);
    expect(v1?.['@id']).toBe(`${server.url}/iiif/search/1/${docId}`);

    const two = await json<Search2>(`${v2!.id}?q=${encodeURIComponent('переговоры Kaesong')}`);
    expect(schemaProblems('search2', two)).toEqual([]);
    expect(new Set(two.items.map((a) => a.body.language))).toEqual(new Set(['ru', 'en']));
    expectOnCanvases(two.items.map((a) => a.target), canvases);

    const one = await json<Search1>(`${v1!['@id']}?q=${encodeURIComponent('"38 параллели"')}`);
    expect(schemaProblems('search1', one)).toEqual([]);
    expectOnCanvases(one.resources.map((r) => r.on), canvases);
  });

  it('draws an English hit on exactly the region the manifest’s translation annotation targets', async () => {
    const page = await json<{ items: { body: { value: string }; target: string }[] }>(
      `${server.url}/iiif/presentation/3/${docId}/annotations/translation/l43`,
    );
    const found = await json<Search2>(`${server.url}/iiif/search/2/${docId}?q=Kaesong`);
    const english = found.items.filter((a) => a.body.language === 'en');
    expect(english.length).toBeGreaterThan(0);
    for (const hit of english) {
      const paragraph = page.items.find((a) => a.body.value.includes('Kaesong') && a.target === hit.target);
      expect(paragraph, hit.target).toBeDefined();
    }
  });

  it('is declared in the 2.1 manifest, and its hits target the 2.1 canvases', async () => {
    const manifest = await json<{
      service: Service | Service[];
      sequences: { canvases: { '@id': string; width: number; height: number }[] }[];
    }>(`${server.url}/iiif/presentation/2/${docId}/manifest`);
    const services = Array.isArray(manifest.service) ? manifest.service : [manifest.service];
    const v1 = services.find((s) => s.profile === 'http://iiif.io/api/search/1/search');
    expect(v1?.['@id']).toBe(`${server.url}/iiif/search/1/${docId}/presentation-2`);
    const canvases = new Map(manifest.sequences[0]!.canvases.map((c) => [c['@id'], c]));
    const one = await json<Search1>(`${v1!['@id']}?q=peregovory`);
    expect(schemaProblems('search1', one)).toEqual([]);
    expectOnCanvases(one.resources.map((r) => r.on), canvases);
  });
});
