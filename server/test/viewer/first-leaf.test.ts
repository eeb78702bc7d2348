import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import { NotFoundError } from '../../src/errors.js';
import { advertisedGrid } from '../../src/image/info.js';
import type { SourceInfo } from '../../src/image/types.js';
import { leafImage, leafImageTag, openingLeaf } from '../../src/viewer/first-leaf.js';
import { pageLinks, type PageLinks } from '../../src/viewer/links.js';

// The leaf a page opens at is in its HTML as an <img>: which leaf, from the URL the server sees,
// and which image sizes, from what the image service advertises in info.json.

const base = 'https://archive.example';
let cable: ArchivalDocument;
let links: PageLinks;
beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  cable = (await loadDocuments(config.manifestsDir))[0]!;
  links = pageLinks(base, cable);
});

/** IIIF Content State 1.0 §6: URI-encode the JSON, then base64url without padding. */
const encoded = (json: unknown) => Buffer.from(encodeURIComponent(JSON.stringify(json))).toString('base64url');

describe('the opening leaf', () => {
  it('is the first leaf, or the leaf of canvas=', () => {
    expect(openingLeaf({}, cable, links)?.id).toBe(cable.leaves[0]!.id);
    expect(openingLeaf({ canvas: links.canvas(cable.leaves[1]!.id) }, cable, links)?.id).toBe(cable.leaves[1]!.id);
    expect(openingLeaf({ canvas: `${base}/elsewhere/canvas/l44` }, cable, links)).toBeNull();
    expect(openingLeaf({ canvas: ['a', 'b'] }, cable, links)).toBeNull();
  });

  it('follows a content state that names one of its canvases, and shows nothing for one it cannot read', () => {
    const l45 = links.canvas(cable.leaves[2]!.id);
    const annotation = {
      type: 'Annotation',
      motivation: ['contentState'],
      target: { id: `${l45}#xywh=10,20,300,40`, type: 'Canvas', partOf: [{ id: links.manifest, type: 'Manifest' }] },
    };
    expect(openingLeaf({ 'iiif-content': encoded(annotation) }, cable, links)?.id).toBe(cable.leaves[2]!.id);
    expect(openingLeaf({ 'iiif-content': l45 }, cable, links)?.id).toBe(cable.leaves[2]!.id);
    expect(openingLeaf({ 'iiif-content': encoded({ target: { id: links.manifest, type: 'Manifest' } }) }, cable, links)?.id).toBe(cable.leaves[0]!.id);
    expect(openingLeaf({ 'iiif-content': encoded({ target: { id: 'https://other.example/manifest', type: 'Manifest' } }) }, cable, links)).toBeNull();
    expect(openingLeaf({ 'iiif-content': '%%%not-base64' }, cable, links)).toBeNull();
    expect(openingLeaf({ manifest: 'https://other.example/manifest' }, cable, links)).toBeNull();
    expect(openingLeaf({ manifest: links.manifest }, cable, links)?.id).toBe(cable.leaves[0]!.id);
  });
});

describe('the <img> of the opening leaf', () => {
  const config = { tileSize: 512, limits: { maxWidth: 10000, maxHeight: 10000, maxArea: 40_000_000, inputPixels: 268_402_689 } };
  const source: SourceInfo = { id: 'leaf', width: 3307, height: 4677, key: 'k', modified: new Date(0) };
  const images = {
    source: async (id: string) => {
      if (id !== cable.leaves[0]!.image) throw new NotFoundError(`No image ${id}`);
      return { ...source, id };
    },
  };

  it('offers every advertised size up to 2400 px as a srcset candidate (declared 10 % wider: a preview may be drawn a little larger than its pixels), with the leaf’s aspect ratio and label', async () => {
    const image = (await leafImage({ config, images }, base, cable.leaves[0]!, 'ru'))!;
    const tag = leafImageTag(image, (ratio) => `calc(100vh * ${ratio})`);
    const attr = (name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    const service = `${base}/iiif/3/${cable.leaves[0]!.image}`;
    const sizes = advertisedGrid(source, config).sizes.filter((s) => s.width <= 2400);
    expect(attr('srcset')).toBe(sizes.map((s) => `${service}/full/${s.width},${s.height}/0/default.jpg ${Math.round(s.width * 1.1)}w`).join(', '));
    expect(attr('src')).toBe(`${service}/full/827,1170/0/default.jpg`);
    expect([attr('width'), attr('height'), attr('alt'), attr('fetchpriority')]).toEqual(['3307', '4677', 'л. 43', 'high']);
    expect(attr('sizes')).toBe('calc(100vh * 0.7071)');
  });

  it('is left out when there is no leaf or its image is missing', async () => {
    expect(await leafImage({ config, images }, base, null, 'en')).toBeUndefined();
    expect(await leafImage({ config, images }, base, cable.leaves[1]!, 'en')).toBeUndefined();
  });
});
