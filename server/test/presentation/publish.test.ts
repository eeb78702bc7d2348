import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../src/document/model.js';
import { sizes } from '../../src/image/tile-grid.js';
import type { BuildInput } from '../../src/presentation/build-input.js';
import { documentIds, fileIds } from '../../src/presentation/ids.js';
import { publishDocument, type Published } from '../../src/presentation/publish.js';
import { problems } from '../../src/presentation/validate.js';
import { base, documentId, realInput } from './real-data.js';

/** Our JSON-LD read back as plain JSON: the tests navigate it freely and assert on values. */
type Json = Record<string, any>;

const ids3 = documentIds(base, 3, documentId);
const ids2 = documentIds(base, 2, documentId);

let input: BuildInput;
let published: Map<string, Published>;
const json = (id: string): Json => {
  const found = published.get(id);
  if (!found) throw new Error(`not published: ${id}`);
  return found.json as Json;
};

beforeAll(async () => {
  input = await realInput();
  published = publishDocument(input);
});

/** The region a target names, or the whole canvas. */
function targetBox(target: string, canvas: Json): Box & { canvas: string } {
  const [id, fragment] = target.split('#xywh=');
  if (!fragment) return { canvas: id!, x: 0, y: 0, w: canvas.width, h: canvas.height };
  const [x, y, w, h] = fragment.split(',').map(Number) as [number, number, number, number];
  return { canvas: id!, x, y, w, h };
}

const inside = (b: Box, canvas: Json) =>
  b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= canvas.width && b.y + b.h <= canvas.height;

interface AltoPage {
  width: number;
  height: number;
  blocks: Map<string, Box>;
  lines: { id: string; block: string; text: string; box: Box }[];
}

/** The ALTO of a leaf, read independently of the loader: page size, block boxes, lines of words with their boxes. */
async function readAlto(file: string): Promise<AltoPage> {
  // Every element an array; attributes too, so they are read through String() and unary plus.
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: () => true });
  const xml = parser.parse(await readFile(file, 'utf8')) as Json;
  const [page] = xml.alto[0].Layout[0].Page;
  const out: AltoPage = { width: +page.WIDTH, height: +page.HEIGHT, blocks: new Map(), lines: [] };
  const box = (e: Json): Box => ({ x: +e.HPOS, y: +e.VPOS, w: +e.WIDTH, h: +e.HEIGHT });
  for (const space of page.PrintSpace ?? []) {
    for (const block of space.TextBlock ?? []) {
      out.blocks.set(String(block.ID), box(block));
      for (const line of block.TextLine ?? []) {
        const words = (line.String ?? []).map((s: Json) => s.CONTENT as string);
        out.lines.push({ id: String(line.ID), block: String(block.ID), text: words.join(' '), box: box(line) });
      }
    }
  }
  return out;
}

const altoLines = async (file: string) => (await readAlto(file)).lines;

describe('every generated resource matches our schema', () => {
  it('for the real document: manifests 3.0 and 2.1, canvases, pages, annotations, collections, ranges', () => {
    const kinds = new Set<string>();
    for (const [id, resource] of published) {
      if (!resource.schema) continue;
      kinds.add(resource.schema);
      expect(problems(resource.schema, resource.json), id).toEqual([]);
    }
    expect([...kinds].sort()).toEqual(
      [
        'annotation3',
        'annotationCollection3',
        'annotationPage3',
        'canvas3',
        'manifest2',
        'manifest3',
        'paintingAnnotation3',
        'paintingPage3',
        'range3',
        'resource2',
      ].sort(),
    );
  });

  it('and the schemas reject what would be our bugs', () => {
    const manifest = json(ids3.manifest);
    const { label: _label, ...unlabelled } = manifest;
    expect(problems('manifest3', unlabelled)).not.toEqual([]);
    expect(problems('manifest3', { ...manifest, rights: 'https://rightsstatements.org/vocab/CNE/1.0/' })).not.toEqual([]);
    expect(problems('canvas3', { ...manifest.items[0], width: 0 })).not.toEqual([]);
    expect(problems('manifest3', { ...manifest, id: 'not a uri' })).not.toEqual([]);
    const page = json(ids3.page('transcription', 'l43'));
    expect(problems('annotationPage3', { ...page, partOf: undefined })).not.toEqual([]);
    const annotation = page.items[0];
    expect(problems('annotation3', { ...annotation, target: `${ids3.canvas('l43')}#xywh=1,2,0,4` })).not.toEqual([]);
    expect(problems('annotation3', { ...annotation, motivation: 'painting' })).not.toEqual([]);
    expect(problems('annotation3', { ...annotation, body: { ...annotation.body, value: '' } })).not.toEqual([]);
  });
});

describe('languages in one order everywhere', () => {
  /** Every language map (3.0) and every list of language-tagged values (2.1) in a resource, with where it is. */
  function languageLists(value: unknown, where: string, out: [string, string[]][] = []): [string, string[]][] {
    if (Array.isArray(value)) {
      const tagged = value.filter((v): v is Json => !!v && typeof v === 'object' && '@value' in v);
      if (tagged.length > 1) out.push([where, tagged.map((v) => v['@language'] ?? 'none')]);
      value.forEach((v, i) => languageLists(v, `${where}[${i}]`, out));
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      const isMap = entries.length > 0 && entries.every(([k, v]) => /^([a-z]{2,3}(-[A-Za-z0-9]+)*|none)$/.test(k) && Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (isMap) out.push([where, entries.map(([k]) => k)]);
      else for (const [k, v] of entries) languageLists(v, `${where}.${k}`, out);
    }
    return out;
  }

  it('every label, summary, metadata entry and value lists English, then Russian, then the language-neutral', () => {
    // A client that matches no language shows each map's first (Clover): it must not mix languages.
    const order = ['en', 'ru', 'none'];
    const found: string[] = [];
    let maps = 0;
    for (const [id, resource] of published) {
      if (!resource.json) continue;
      for (const [where, languages] of languageLists(resource.json, id)) {
        maps++;
        const ranks = languages.map((l) => order.indexOf(l));
        if (ranks.some((r, i) => r < (ranks[i - 1] ?? -1))) found.push(`${where}: ${languages.join(', ')}`);
      }
    }
    expect(maps).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});

describe('manifest 3.0', () => {
  it('is bilingual and carries the archival description, attribution, rights and links', () => {
    const m = json(ids3.manifest);
    expect(Object.keys(m.label).sort()).toEqual(['en', 'ru']);
    expect(m.summary.en.join(' ')).toMatch(/reconstructed facsimiles, not scans/);
    expect(m.summary.ru.join(' ')).toMatch(/реконструированные факсимиле/);
    expect(m.metadata.find((e: Json) => e.label.en[0] === 'Archival reference').value).toEqual({
      none: ['РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.', 'RGASPI, f. 558, op. 11, d. 340, ll. 43–45'],
    });
    expect(m.metadata.map((e: Json) => e.label.en[0])).toEqual(
      expect.arrayContaining(['Date', 'Creator', 'Recipient', 'Original language', 'Translation', 'Source', 'Cable number', 'Images']),
    );
    expect(m.requiredStatement.value.en[0]).toMatch(/Gary Goldberg/);
    expect(m.rights).toBe(input.document.record.rights.uri);
    expect(m.navDate).toBe('1951-07-13T00:00:00Z');
    expect(m.homepage[0]).toMatchObject({ id: `${base}/`, type: 'Text', format: 'text/html' });
    expect(m.provider[0]).toMatchObject({ type: 'Agent', homepage: [{ id: `${base}/` }] });
    expect(m.partOf).toEqual([
      { id: `${base}/iiif/presentation/3/collection/rgaspi-f558-op11-d340`, type: 'Collection', label: expect.any(Object) },
    ]);
    const files = fileIds(base, documentId);
    expect(m.rendering.map((r: Json) => [r.id, r.format, r.language])).toEqual([
      [files.text('transcription'), 'text/plain', ['ru']],
      [files.text('translation'), 'text/plain', ['en']],
      [files.pdf(documentId), 'application/pdf', undefined],
    ]);
  });

  it('has one canvas per leaf, labelled «л. 43» etc. as the record says, exactly the size of its image', () => {
    const m = json(ids3.manifest);
    expect(m.items.map((c: Json) => c.label)).toEqual(input.document.leaves.map((l) => l.label));
    expect(m.items.map((c: Json) => c.label.ru[0])).toEqual(['л. 43', 'л. 44', 'л. 45']);
    for (const canvas of m.items) {
      const leaf = input.document.leaves.find((l) => ids3.canvas(l.id) === canvas.id)!;
      const image = input.images.get(leaf.id)!;
      expect([canvas.width, canvas.height]).toEqual([image.width, image.height]);
      const body = canvas.items[0].items[0].body;
      expect(body).toMatchObject({ type: 'Image', width: image.width, height: image.height });
      const advertised = sizes(image.width, image.height, 512);
      expect(body.service).toEqual([
        { id: `${base}/iiif/3/${leaf.image}`, type: 'ImageService3', profile: 'level2', sizes: advertised },
        {
          '@id': `${base}/iiif/2/${leaf.image}`,
          '@type': 'ImageService2',
          profile: 'http://iiif.io/api/image/2/level2.json',
          sizes: advertised,
        },
      ]);
      // The thumbnail is one of the advertised sizes, so the image service has it ready.
      const thumb = canvas.thumbnail[0];
      expect(advertised).toContainEqual({ width: thumb.width, height: thumb.height });
      expect(thumb.id).toBe(`${base}/iiif/3/${leaf.image}/full/${thumb.width},${thumb.height}/0/default.jpg`);
      // ALTO is data about the canvas (seeAlso, Dataset), published once under one type.
      expect(canvas.seeAlso[0]).toMatchObject({ type: 'Dataset', format: 'application/xml', profile: 'http://www.loc.gov/standards/alto/' });
      // The leaf's searchable PDF is for reading, so a rendering (Text), and the only one.
      expect(canvas.rendering).toEqual([
        { id: fileIds(base, documentId).pdf(leaf.id), type: 'Text', format: 'application/pdf', label: expect.any(Object) },
      ]);
    }
  });

  it('references two annotation pages per canvas, transcription first, each partOf its layer collection', () => {
    const m = json(ids3.manifest);
    for (const canvas of m.items) {
      const leaf = canvas.id.split('/').pop();
      expect(canvas.annotations.map((p: Json) => p.id)).toEqual([
        ids3.page('transcription', leaf),
        ids3.page('translation', leaf),
      ]);
      for (const reference of canvas.annotations) expect(reference.items).toBeUndefined();
    }
    for (const layer of ['transcription', 'translation'] as const) {
      const collection = json(ids3.layer(layer));
      const pages = ['l43', 'l44', 'l45'].map((leaf) => json(ids3.page(layer, leaf)));
      expect(collection.total).toBe(pages.reduce((n, p) => n + p.items.length, 0));
      expect(collection.first).toEqual({ id: ids3.page(layer, 'l43'), type: 'AnnotationPage' });
      expect(collection.last).toEqual({ id: ids3.page(layer, 'l45'), type: 'AnnotationPage' });
      expect(collection.label).toEqual(expect.objectContaining({ ru: expect.any(Array), en: expect.any(Array) }));
      expect(pages.map((p) => [p.prev, p.next])).toEqual([
        [undefined, ids3.page(layer, 'l44')],
        [ids3.page(layer, 'l43'), ids3.page(layer, 'l45')],
        [ids3.page(layer, 'l44'), undefined],
      ]);
      const { '@context': _context, ...reference } = collection;
      for (const p of pages) expect(p.partOf).toEqual([reference]);
    }
  });

  it('targets every annotation inside its canvas (3.0 and 2.1)', () => {
    const canvases = new Map<string, Json>(json(ids3.manifest).items.map((c: Json) => [c.id, c]));
    const canvases2 = new Map<string, Json>(json(ids2.manifest).sequences[0].canvases.map((c: Json) => [c['@id'], c]));
    let checked = 0;
    for (const [, resource] of published) {
      const r = resource.json as Json | null;
      if (r?.type === 'AnnotationPage' && r.items[0].motivation === 'supplementing') {
        for (const a of r.items) {
          const box = targetBox(a.target, canvases.get(a.target.split('#')[0])!);
          expect(inside(box, canvases.get(box.canvas)!), a.id).toBe(true);
          checked++;
        }
      }
      if (r?.['@type'] === 'sc:AnnotationList') {
        for (const a of r.resources) {
          const box = targetBox(a.on, canvases2.get(a.on.split('#')[0])!);
          expect(inside(box, canvases2.get(box.canvas)!), a['@id']).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('gives the Russian layer exactly the ALTO text of each canvas, line by line, with the ALTO line boxes', async () => {
    for (const leaf of input.document.leaves) {
      const lines = await altoLines(path.join(input.document.dir, leaf.transcription.file));
      const page = json(ids3.page('transcription', leaf.id));
      expect(page.items.map((a: Json) => a.body.value)).toEqual(lines.map((l) => l.text));
      expect(page.items.map((a: Json) => a.target)).toEqual(
        lines.map((l) => `${ids3.canvas(leaf.id)}#xywh=${l.box.x},${l.box.y},${l.box.w},${l.box.h}`),
      );
      for (const a of page.items) {
        expect(a).toMatchObject({ motivation: 'supplementing', textGranularity: 'line', body: { language: 'ru', format: 'text/plain' } });
      }
    }
  });

  it('targets each English paragraph at the union of the Russian blocks or lines it translates', async () => {
    const canvases = new Map<string, Json>(json(ids3.manifest).items.map((c: Json) => [c.id, c]));
    for (const leaf of input.document.leaves) {
      const alto = await readAlto(path.join(input.document.dir, leaf.transcription.file));
      const canvas = canvases.get(ids3.canvas(leaf.id))!;
      const sx = canvas.width / alto.width;
      const sy = canvas.height / alto.height;
      const page = json(ids3.page('translation', leaf.id));
      leaf.translation!.paragraphs.forEach((paragraph, i) => {
        // A block target covers the block's own box, a line target its line's box.
        const boxes = paragraph.targets.map((t) => alto.blocks.get(t) ?? alto.lines.find((l) => l.id === t)!.box);
        const x0 = Math.min(...boxes.map((b) => b.x));
        const y0 = Math.min(...boxes.map((b) => b.y));
        const x1 = Math.max(...boxes.map((b) => b.x + b.w));
        const y1 = Math.max(...boxes.map((b) => b.y + b.h));
        // On the canvas: scaled from the ALTO page, out to whole pixels.
        const [cx0, cy0] = [Math.floor(x0 * sx), Math.floor(y0 * sy)];
        const [cx1, cy1] = [Math.ceil(x1 * sx), Math.ceil(y1 * sy)];
        const annotation = page.items[i];
        expect(annotation.body).toEqual({ type: 'TextualBody', value: paragraph.text, format: 'text/plain', language: 'en' });
        expect(annotation.target, paragraph.id).toBe(`${canvas.id}#xywh=${cx0},${cy0},${cx1 - cx0},${cy1 - cy0}`);
      });
    }
  });

  it('structures the cable as a bilingual table of contents pointing at canvas regions', () => {
    const [toc] = json(ids3.manifest).structures;
    expect(toc.label).toEqual({ ru: ['Содержание'], en: ['Contents'] });
    const sections = toc.items;
    expect(sections.length).toBe(input.document.contents.length);
    const agenda = sections.find((s: Json) => s.id === ids3.range('agenda'));
    expect(agenda.items.filter((i: Json) => i.type === 'Range')).toHaveLength(5);
    for (const s of sections) {
      expect(Object.keys(s.label).sort()).toEqual(['en', 'ru']);
      for (const item of s.items.filter((i: Json) => i.type === 'Canvas')) expect(item.id).toMatch(/\/canvas\/l4[345]#xywh=\d+,\d+,\d+,\d+$/);
    }
  });
});

describe('Presentation 2.1', () => {
  it('describes the same canvases, sizes, images and annotations as 3.0', () => {
    const m3 = json(ids3.manifest);
    const m2 = json(ids2.manifest);
    const canvases2 = m2.sequences[0].canvases;
    expect(canvases2.map((c: Json) => [c.label, c.width, c.height])).toEqual(
      m3.items.map((c: Json) => [
        Object.entries(c.label).flatMap(([language, values]) => (values as string[]).map((v) => ({ '@value': v, '@language': language }))),
        c.width,
        c.height,
      ]),
    );
    canvases2.forEach((c2: Json, i: number) => {
      const c3 = m3.items[i];
      expect(c2.images[0].resource.service['@id']).toBe(c3.items[0].items[0].body.service[1]['@id']);
      expect(c2.otherContent.map((l: Json) => l['@id'])).toEqual(
        c3.annotations.map((p: Json) => p.id.replace('/presentation/3/', '/presentation/2/')),
      );
      for (const reference of c3.annotations) {
        const list = json(reference.id.replace('/presentation/3/', '/presentation/2/'));
        const page = json(reference.id);
        expect(list.resources.map((a: Json) => [a.resource.chars, a.on.replace('/presentation/2/', '/presentation/3/')])).toEqual(
          page.items.map((a: Json) => [a.body.value, a.target]),
        );
      }
    });
    // Each layer pages as in 3.0: the Layer's first/last/total, and each list's prev/next.
    const as2 = (id: string | undefined) => id?.replace('/presentation/3/', '/presentation/2/');
    for (const layer of ['transcription', 'translation'] as const) {
      const collection = json(ids3.layer(layer));
      const layer2 = json(ids2.layer(layer));
      expect(layer2).toMatchObject({
        '@type': 'sc:Layer',
        first: as2(collection.first.id),
        last: as2(collection.last.id),
        total: collection.total,
      });
      const pages = ['l43', 'l44', 'l45'].map((leaf) => json(ids3.page(layer, leaf)));
      expect(layer2.otherContent).toEqual(pages.map((p) => as2(p.id)));
      for (const page of pages) {
        const list = json(as2(page.id)!);
        expect([list.prev, list.next], list['@id']).toEqual([as2(page.prev), as2(page.next)]);
        expect(list.within['@id']).toBe(ids2.layer(layer));
      }
    }
    expect(m2.within).toBe(`${base}/iiif/presentation/2/collection/rgaspi-f558-op11-d340`);
    expect(m2.structures.length).toBe(json(ids3.range('toc')).items.length + 1 + 5);
  });
});

describe('the data decides, not the code', () => {
  it('a real scan of another size changes the canvas and scales the ALTO targets onto it', () => {
    const images = new Map([...input.images].map(([leaf, image]) => [leaf, { ...image, width: 6614, height: 9354 }]));
    const swapped = publishDocument({ ...input, images });
    const m = swapped.get(ids3.manifest)!.json as Json;
    expect(m.items.map((c: Json) => [c.width, c.height])).toEqual([
      [6614, 9354],
      [6614, 9354],
      [6614, 9354],
    ]);
    const original = json(ids3.page('transcription', 'l43')).items[0].target as string;
    const scaled = (swapped.get(ids3.page('transcription', 'l43'))!.json as Json).items[0].target as string;
    const a = targetBox(original, { width: 0, height: 0 });
    const b = targetBox(scaled, { width: 0, height: 0 });
    expect(b.x).toBeCloseTo(a.x * 2, -1);
    expect(b.w).toBeCloseTo(a.w * 2, -1);
    for (const [, r] of swapped) if (r.schema) expect(problems(r.schema, r.json)).toEqual([]);
  });

  it('a services provider adds its declarations to both manifests, still valid', () => {
    const v3 = [{ id: `${base}/search/2/${documentId}`, type: 'SearchService2' }];
    const v2 = [{ '@context': 'http://iiif.io/api/search/1/context.json', '@id': `${base}/search/1/${documentId}`, profile: 'http://iiif.io/api/search/1/search' }];
    const withSearch = publishDocument({ ...input, services: () => ({ v3, v2 }) });
    expect((withSearch.get(ids3.manifest)!.json as Json).service).toEqual(v3);
    expect((withSearch.get(ids2.manifest)!.json as Json).service).toEqual(v2[0]);
    for (const [, r] of withSearch) if (r.schema) expect(problems(r.schema, r.json)).toEqual([]);
  });

  it('publishes each file the leaves link to, exactly as loaded, and no other file', () => {
    const files = fileIds(base, documentId);
    const served = [...published.keys()].filter((id) => id.startsWith(`${base}/iiif/presentation/${documentId}/files/`));
    expect(served.sort()).toEqual(
      ['l043.alto.xml', 'l043.en.json', 'l044.alto.xml', 'l044.en.json', 'l045.alto.xml', 'l045.en.json'].map(files.file),
    );
    const alto = published.get(files.file('l043.alto.xml'))!;
    expect(alto.contentType).toBe('application/xml; charset=utf-8');
    expect(published.get(files.file('l043.en.json'))!.contentType).toBe('application/json; charset=utf-8');
    // The loaded bytes, not the folder's: what is served matches the annotations built with it.
    const edited = Buffer.from(`${input.document.files.get('l043.alto.xml')!.toString()}<!-- corrected -->\n`);
    const document = { ...input.document, files: new Map([...input.document.files, ['l043.alto.xml', edited]]) };
    const republished = publishDocument({ ...input, document }).get(files.file('l043.alto.xml'))!;
    expect(republished.body.identity).toBe(edited);
    expect(republished.etag).not.toBe(alto.etag);
  });

  it('publishes the whole text of each layer as plain text', () => {
    const files = fileIds(base, documentId);
    const ru = published.get(files.text('transcription'))!.body.identity.toString();
    const en = published.get(files.text('translation'))!.body.identity.toString();
    expect(ru.startsWith('[л. 43]\n\nТоварищ Филиппов!')).toBe(true);
    for (const leaf of input.document.leaves) {
      for (const block of leaf.transcription.blocks) expect(ru).toContain(block.lines.map((l) => l.text).join('\n'));
      for (const p of leaf.translation!.paragraphs) expect(en).toContain(p.text);
    }
  });
});
