import { Vault } from '@iiif/helpers/vault';
import { normalize, serialize, serializeConfigPresentation3 } from '@iiif/parser';
import { upgrade } from '@iiif/parser/upgrader';
import * as manifesto from 'manifesto.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { doc, getJson, startService, type Service } from './harness.js';

// Every Manifest, Collection and annotation page we publish, read by the two libraries most IIIF
// clients are built on: @iiif/parser (with the Vault of @iiif/helpers: Clover, Theseus, Canopy)
// and manifesto.js (Universal Viewer, and Mirador 2/3's manifest handling). A resource passes when
// both read it completely without throwing and without logging a warning or an error.
//
// @iiif/parser 2.2.10 cannot normalise an AnnotationCollection on its own: Traverse.traverseUnknown
// (src/presentation-3/traverse.ts, the `switch` near line 500) has no case for it and throws
// "Unknown or unsupported resource type". That is the library's gap, not an invalid resource
// (Presentation 3.0 §5.9), so collections are checked through their pages instead.

type Json = Record<string, unknown>;

let service: Service;
/** Every resource reached from the two manifests, by id, as served. */
const published = new Map<string, Json>();

/** The kinds of resource this suite reads (Presentation 3.0 `type`, 2.1 `@type`). */
const kinds = new Set([
  'Manifest',
  'Collection',
  'AnnotationPage',
  'AnnotationCollection',
  'sc:Manifest',
  'sc:Collection',
  'sc:AnnotationList',
  'sc:Layer',
]);
/** Links whose value may be a bare id (paging of annotation collections, 2.1 `within`). */
const linkKeys = new Set(['first', 'last', 'next', 'prev', 'within', 'partOf', 'otherContent', 'manifests', 'collections']);

const typeOf = (r: Json) => (r.type ?? r['@type']) as string | undefined;
const idOf = (r: Json) => (r.id ?? r['@id']) as string | undefined;
const isV2 = (r: Json) => JSON.stringify(r['@context'] ?? '').includes('/presentation/2/');

/** The ids under `/iiif/presentation/` that `resource` links to and that are of a kind read here. */
function linksOf(resource: unknown, root: string, key = ''): string[] {
  if (typeof resource === 'string') return linkKeys.has(key) && resource.startsWith(root) ? [resource] : [];
  if (Array.isArray(resource)) return resource.flatMap((r) => linksOf(r, root, key));
  if (!resource || typeof resource !== 'object') return [];
  const r = resource as Json;
  const own = idOf(r);
  const here = typeof own === 'string' && own.startsWith(root) && kinds.has(typeOf(r) ?? '') ? [own.split('#')[0]!] : [];
  return [...here, ...Object.entries(r).flatMap(([k, v]) => linksOf(v, root, k))];
}

/** What the libraries log while `work` runs; console output is how both report a problem they survive. */
async function logged<T>(work: () => Promise<T> | T): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const spies = (['warn', 'error'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      messages.push(`${level}: ${args.map(String).join(' ')}`);
    }),
  );
  try {
    return { result: await work(), messages };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const ofKind = (...types: string[]) => [...published].filter(([, r]) => types.includes(typeOf(r) ?? ''));

beforeAll(async () => {
  service = await startService();
  const root = `${service.url}/iiif/presentation/`;
  const queue = [`${root}3/${doc}/manifest`, `${root}2/${doc}/manifest`];
  while (queue.length) {
    const id = queue.shift()!;
    if (published.has(id)) continue;
    const resource = await getJson<Json>(id);
    published.set(id, resource);
    for (const link of linksOf(resource, root)) if (!published.has(link)) queue.push(link);
  }
}, 120_000);

afterAll(async () => {
  await service?.close();
});

describe('what the crawl reaches', () => {
  it('covers both versions: manifests, collections and every annotation page of both layers', () => {
    const count = (t: string) => ofKind(t).length;
    expect(count('Manifest')).toBe(1);
    expect(count('sc:Manifest')).toBe(1);
    expect(count('Collection')).toBeGreaterThan(0);
    expect(count('sc:Collection')).toBeGreaterThan(0);
    // Two layers (transcription, translation) on three leaves.
    expect(count('AnnotationPage')).toBeGreaterThanOrEqual(6);
    expect(count('sc:AnnotationList')).toBeGreaterThanOrEqual(6);
    expect(count('AnnotationCollection')).toBe(2);
    expect(count('sc:Layer')).toBe(2);
  });
});

describe('@iiif/parser and the Vault read every resource', () => {
  it('normalises each 3.0 resource and serialises it back with the same parts', async () => {
    const v3 = [...published].filter(([, r]) => !isV2(r) && typeOf(r) !== 'AnnotationCollection');
    expect(v3.length).toBeGreaterThan(0);
    for (const [id, json] of v3) {
      const { result, messages } = await logged(() => {
        const { entities, resource } = normalize(structuredClone(json));
        const back = serialize({ mapping: {}, requests: {}, entities }, resource, serializeConfigPresentation3) as Json;
        return { resource, back };
      });
      expect(messages, id).toEqual([]);
      expect(result.resource.id, id).toBe(id);
      expect(typeOf(result.back), id).toBe(typeOf(json));
      expect((result.back.items as unknown[] | undefined)?.length, id).toBe((json.items as unknown[] | undefined)?.length);
    }
  });

  it('upgrades each 2.1 resource to 3.0 and normalises it', async () => {
    const v2 = [...published].filter(([, r]) => isV2(r));
    expect(v2.length).toBeGreaterThan(0);
    for (const [id, json] of v2) {
      const { result, messages } = await logged(() => {
        const upgraded = upgrade(structuredClone(json)) as unknown as Json;
        return { upgraded, normalized: typeOf(upgraded) === 'AnnotationCollection' ? null : normalize(upgraded).resource };
      });
      expect(messages, id).toEqual([]);
      expect(idOf(result.upgraded), id).toBe(id);
      if (result.normalized) expect(result.normalized.id, id).toBe(id);
      const expected: Record<string, string> = {
        'sc:Manifest': 'Manifest',
        'sc:Collection': 'Collection',
        'sc:AnnotationList': 'AnnotationPage',
        'sc:Layer': 'AnnotationCollection',
      };
      expect(typeOf(result.upgraded), id).toBe(expected[typeOf(json)!]);
    }
  });

  it('reaches every annotation of a layer by paging its AnnotationCollection from first to last', async () => {
    for (const [id, json] of ofKind('AnnotationCollection')) {
      const { result, messages } = await logged(() => {
        const pages: string[] = [];
        let annotations = 0;
        for (let next = idOf(json.first as Json); next; ) {
          const page = published.get(next)!;
          const { resource, entities } = normalize(structuredClone(page));
          pages.push(resource.id);
          annotations += Object.keys(entities.Annotation).length;
          next = page.next as string | undefined;
        }
        return { pages, annotations };
      });
      expect(messages, id).toEqual([]);
      expect(result.pages, id).toEqual(['l43', 'l44', 'l45'].map((leaf) => `${id}/${leaf}`));
      expect(result.pages.at(-1), id).toBe(idOf(json.last as Json));
      expect(result.annotations, id).toBe(json.total);
    }
  });

  it('loads both manifests into one Vault, as Clover does, with every canvas and its painted image', async () => {
    const vault = new Vault();
    for (const [id, json] of ofKind('Manifest', 'sc:Manifest')) {
      const { result: manifest, messages } = await logged(() => vault.loadManifest(id, structuredClone(json)));
      expect(messages, id).toEqual([]);
      expect(manifest?.items, id).toHaveLength(3);
      for (const ref of manifest!.items) {
        const canvas = vault.get(ref);
        const page = vault.get(canvas.items[0]!);
        const painting = vault.get(page.items[0]!);
        const body = vault.get(painting.body[0]! as { id: string; type: 'ContentResource' }) as { id: string; type: string };
        expect(body.type, canvas.id).toBe('Image');
        expect(body.id).toMatch(/\/iiif\/[23]\/rgaspi-f558-op11-d340-l04[345]\/full\//);
      }
    }
    for (const [id, json] of ofKind('AnnotationPage')) {
      const { result, messages } = await logged(() => vault.load(id, structuredClone(json)));
      expect(messages, id).toEqual([]);
      expect(result, id).toBeTruthy();
    }
  });
});

describe('manifesto.js reads every manifest and collection', () => {
  it('walks each manifest: sequences, canvases, images, services, ranges, metadata', async () => {
    for (const [id, json] of ofKind('Manifest', 'sc:Manifest')) {
      const v2 = typeOf(json) === 'sc:Manifest';
      const { result, messages } = await logged(async () => {
        const manifest = manifesto.parseManifest(structuredClone(json)) as manifesto.Manifest;
        const seen = {
          label: manifest.getLabel().getValue('en'),
          metadata: manifest.getMetadata().map((m) => [m.getLabel('en'), m.getValue('en')]),
          requiredStatement: manifest.getRequiredStatement()?.getValue('en'),
          services: manifest.getServices().map((s) => s.getProfile() || s.getIIIFResourceType()),
          canvases: [] as { label: string | null; width: number; infoUri: string; lists: number }[],
          ranges: manifest.getAllRanges().map((r) => [r.getLabel().getValue('en'), r.getCanvasIds().length] as const),
          thumbnail: manifest.getSequences()[0]!.getCanvases()[0]!.getCanonicalImageUri(200),
        };
        for (const sequence of manifest.getSequences()) {
          for (const canvas of sequence.getCanvases()) {
            const body = v2 ? canvas.getImages()[0]!.getResource() : canvas.getContent()[0]!.getBody()[0]!;
            const imageService = body.getServices().find((s) => manifesto.Utils.isImageProfile(s.getProfile()) || /ImageService/.test(s.getIIIFResourceType()));
            // 2.1 links the annotation lists from the canvas; manifesto fetches them itself.
            const lists = v2 ? await canvas.getOtherContent() : [];
            seen.canvases.push({ label: canvas.getLabel().getValue('en'), width: canvas.getWidth(), infoUri: imageService?.getInfoUri() ?? '', lists: lists.length });
          }
        }
        return seen;
      });
      expect(messages, id).toEqual([]);
      expect(result.label, id).toBe('Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin]');
      expect(result.metadata.length, id).toBeGreaterThan(0);
      expect(result.metadata.every(([label, value]) => label && value), id).toBe(true);
      expect(result.requiredStatement, id).toBeTruthy();
      // The Content Search service UV and Mirador look for, by its 1.0 profile.
      expect(result.services, id).toContain('http://iiif.io/api/search/1/search');
      expect(result.canvases.map((c) => c.label), id).toEqual(['l. 43', 'l. 44', 'l. 45']);
      for (const canvas of result.canvases) {
        expect(canvas.width).toBe(3307);
        expect(canvas.infoUri).toMatch(/\/iiif\/[23]\/rgaspi-f558-op11-d340-l04[345]\/info\.json$/);
        expect(canvas.lists).toBe(v2 ? 2 : 0);
      }
      expect(result.ranges.length, id).toBeGreaterThan(0);
      expect(result.ranges.every(([label]) => label), id).toBe(true);
      expect(result.thumbnail, id).toMatch(/\/iiif\/[23]\/rgaspi-f558-op11-d340-l043\/full\//);
    }
  });

  it('reads each collection and its members', async () => {
    const collections = ofKind('Collection', 'sc:Collection');
    expect(collections.length).toBeGreaterThan(0);
    for (const [id, json] of collections) {
      const { result, messages } = await logged(() => {
        const collection = manifesto.parseManifest(structuredClone(json)) as manifesto.Collection;
        return {
          label: collection.getLabel().getValue('en'),
          members: [...collection.getManifests(), ...collection.getCollections()].map((m) => m.id),
        };
      });
      expect(messages, id).toEqual([]);
      expect(result.label, id).toBeTruthy();
      expect(result.members.length, id).toBeGreaterThan(0);
    }
  });
});
