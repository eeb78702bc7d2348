import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { DocumentDataError } from '../../src/document/document-error.js';
import { loadDocument } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import { detectFormat, rootElementName } from '../../src/document/transcription-format.js';
import { IdentityLedger } from '../../src/presentation/identity.js';
import { documentIds, fileIds } from '../../src/presentation/ids.js';
import { publishDocument, type Published } from '../../src/presentation/publish.js';
import { problems } from '../../src/presentation/validate.js';
import { buildSearchIndex } from '../../src/search/build-index.js';
import { findHits } from '../../src/search/find-hits.js';
import { viewHit } from '../../src/search/hit-segments.js';
import { parseQuery } from '../../src/search/parse-query.js';
import { imageConfig } from '../presentation/fixture-document.js';

/** Our JSON-LD read back as plain JSON. */
type Json = Record<string, any>;

const fixtures = path.join(import.meta.dirname, 'fixtures');
const committedRecord = path.join(projectRoot, 'manifests', 'rgaspi-f558-op11-d340-l43-45', 'record.json');
const base = 'https://iiif.example.org';
const PAGE_2019 = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
const PAGE_2013 = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15';

let root: string;

interface LeafSpec {
  id: string;
  file: string;
  format?: string;
  translation?: string;
}

/**
 * A document folder whose leaves are the given fixture transcriptions: the committed record
 * with its leaves and table of contents replaced.
 */
async function documentFolder(name: string, leaves: LeafSpec[], contents: { id: string; targets: string[] }[]): Promise<string> {
  const dir = path.join(root, 'manifests', name);
  await mkdir(dir, { recursive: true });
  const record = JSON.parse(await readFile(committedRecord, 'utf8')) as Json;
  record.leaves = leaves.map((leaf, i) => ({
    id: leaf.id,
    folio: i + 1,
    label: { en: [`f. ${i + 1}`], ru: [`л. ${i + 1}`] },
    image: `${name}-${leaf.id}`,
    transcription: { file: leaf.file, language: 'ru', ...(leaf.format ? { format: leaf.format } : {}) },
    ...(leaf.translation ? { translation: leaf.translation } : {}),
  }));
  record.contents = contents.map((c) => ({ ...c, label: { en: [c.id], ru: [c.id] } }));
  await writeFile(path.join(dir, 'record.json'), JSON.stringify(record));
  for (const leaf of leaves) {
    for (const file of [leaf.file, leaf.translation]) if (file) await copyFile(path.join(fixtures, file), path.join(dir, file));
  }
  return dir;
}

const pageLeaves: LeafSpec[] = [
  { id: 'l1', file: 'l1.page.xml', translation: 'l1.en.json' },
  { id: 'l2', file: 'l2-2013.xml', format: 'page' },
];
const hocrLeaves: LeafSpec[] = [
  { id: 'l3', file: 'l3.hocr', translation: 'l3.en.json' },
  { id: 'l4', file: 'l4.html', format: 'hocr' },
];

/** A table of contents for folders whose loading must fail before it is checked. */
const opening = [{ id: 'opening', targets: ['r1'] }];

async function loadError(dir: string): Promise<string> {
  const error = await loadDocument(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentDataError);
  return (error as Error).message;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'formats-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('which format a transcription file is', () => {
  it('reads the root element past the declaration, comments, a doctype with an internal subset, and a prefix', () => {
    expect(rootElementName('\uFEFF<?xml version="1.0"?>\n<!-- a -->\n<!DOCTYPE x [<!ENTITY e "f">]>\n<pc:PcGts xmlns:pc="…"/>')).toBe('PcGts');
    expect(rootElementName('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">')).toBe('alto');
    expect(rootElementName('no markup')).toBeUndefined();
  });

  it('goes by extension for .txt, .hocr and .html, and by root element for .xml', () => {
    expect(detectFormat('l1.txt', '<PcGts/>')).toBe('text');
    expect(detectFormat('l1.hocr', '')).toBe('hocr');
    expect(detectFormat('l1.html', '')).toBe('hocr');
    expect(detectFormat('l1.xml', '<?xml version="1.0"?><PcGts xmlns="x"/>')).toBe('page');
    expect(detectFormat('l1.xml', '<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">')).toBe('hocr');
    expect(detectFormat('l1.xml', '<alto/>')).toBe('alto');
    // Whatever else an .xml file holds is read as ALTO, whose parser says what is wrong.
    expect(detectFormat('l1.xml', '<TEI/>')).toBe('alto');
  });
});

describe('a document transcribed in PAGE XML', () => {
  let document: ArchivalDocument;
  beforeAll(async () => {
    const dir = await documentFolder('page-doc', pageLeaves, [
      { id: 'address', targets: ['r1'] },
      { id: 'body', targets: ['r2a', 't1l1'] },
    ]);
    document = await loadDocument(dir);
  });

  it('loads: the format found in the file or named in the record, the schema version, the page size', () => {
    expect(document.leaves.map((l) => [l.id, l.transcription.format, l.transcription.profile, l.transcription.page])).toEqual([
      ['l1', 'page', PAGE_2019, { width: 2000, height: 3000 }],
      ['l2', 'page', PAGE_2013, { width: 1000, height: 1400 }],
    ]);
    expect(document.leaves[0]!.transcription.blocks.map((b) => b.id)).toEqual(['r1', 'r2a', 'r2', 'r3', 'r5']);
  });

  it('maps translations and the table of contents to region and line ids', () => {
    expect(document.leaves[0]!.translation!.paragraphs.map((p) => p.targets)).toEqual([['r1'], ['r2l1', 'r2a'], ['r5l1']]);
    expect(document.contents.map((s) => s.targets)).toEqual([['r1'], ['r2a', 't1l1']]);
  });

  it('is searchable: a word hit has its Word polygon box, a hit in a line without words the line box', () => {
    const index = buildSearchIndex(document);
    const boxes = (q: string) =>
      findHits(index, parseQuery(q)).map((hit) => {
        const view = viewHit(index, hit);
        return [view.leafId, view.unit.text.slice(view.start, view.end), view.segments.map((segment) => segment.box)];
      });
    expect(boxes('Филиппов')).toEqual([['l1', 'Филиппов', [{ x: 450, y: 292, w: 562, h: 88 }]]]);
    expect(boxes('перемирии')).toEqual([['l1', 'перемирии', [{ x: 210, y: 505, w: 1580, h: 80 }]]]);
  });

  it('names a translation target that is not a region or line of the leaf (a word id is not)', async () => {
    const dir = await documentFolder('page-bad-target', pageLeaves, opening);
    const translation = path.join(dir, 'l1.en.json');
    await writeFile(translation, (await readFile(translation, 'utf8')).replace('"r5l1"', '"r1l1w1"'));
    expect(await loadError(dir)).toBe(
      'Invalid document data in manifests/page-bad-target/l1.en.json at /paragraphs/2/targets/0: "r1l1w1" is not a TextBlock or TextLine id of l1.page.xml',
    );
  });

  it('reads a file as the format the record names, whatever it holds', async () => {
    const dir = await documentFolder('page-as-alto', [{ id: 'l1', file: 'l1.page.xml', format: 'alto' }], opening);
    expect(await loadError(dir)).toBe('Invalid document data in manifests/page-as-alto/l1.page.xml at /: has no <alto> root element');
  });

  it('stops at a region without an id, naming the file', async () => {
    const dir = await documentFolder('page-no-id', [{ id: 'l2', file: 'l2-2013.xml' }], opening);
    const file = path.join(dir, 'l2-2013.xml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('<pc:TextRegion id="t1">', '<pc:TextRegion>'));
    expect(await loadError(dir)).toBe('Invalid document data in manifests/page-no-id/l2-2013.xml at TextRegion[1]/@id: is missing');
  });
});

describe('a document transcribed in hOCR', () => {
  it('loads both files as hOCR, with translations on par and line ids', async () => {
    const dir = await documentFolder('hocr-doc', hocrLeaves, [{ id: 'all', targets: ['par_1_1', 'a1-l2'] }]);
    const document = await loadDocument(dir);
    expect(document.leaves.map((l) => [l.id, l.transcription.format, l.transcription.profile, l.transcription.page])).toEqual([
      ['l3', 'hocr', undefined, { width: 1200, height: 1600 }],
      ['l4', 'hocr', undefined, { width: 800, height: 1000 }],
    ]);
    expect(document.leaves[0]!.translation!.paragraphs.map((p) => p.targets)).toEqual([['par_1_1'], ['line_1_2'], ['par_1_4']]);
  });

  it('stops at an id used on two leaves', async () => {
    const dir = await documentFolder('hocr-twice', [hocrLeaves[0]!, { id: 'l5', file: 'l3.hocr' }], opening);
    expect(await loadError(dir)).toBe('Invalid document data in manifests/hocr-twice/l3.hocr at /: id "par_1_1" is also used on another leaf');
  });
});

/** Publishes a loaded fixture document with canvases exactly the size of its pages, so canvas and page pixels agree. */
async function publish(
  name: string,
  leaves: LeafSpec[],
  contents: { id: string; targets: string[] }[],
): Promise<{ document: ArchivalDocument; published: Map<string, Published> }> {
  const document = await loadDocument(await documentFolder(name, leaves, contents));
  const images = new Map(document.leaves.map((l) => [l.id, { id: l.image, ...l.transcription.page! }]));
  return { document, published: publishDocument({ base, document, images, imageConfig }) };
}

describe('publishing a PAGE or hOCR document', () => {
  let page: { document: ArchivalDocument; published: Map<string, Published> };
  let hocr: { document: ArchivalDocument; published: Map<string, Published> };
  beforeAll(async () => {
    page = await publish('page-pub', pageLeaves, [{ id: 'address', targets: ['r1'] }]);
    hocr = await publish('hocr-pub', hocrLeaves, [{ id: 'address', targets: ['par_1_1'] }]);
  });
  const json = (p: Map<string, Published>, id: string): Json => {
    const found = p.get(id);
    if (!found) throw new Error(`not published: ${id}`);
    return found.json as Json;
  };

  it('builds manifests, canvases and annotations that all match their schemas, each id naming one resource', () => {
    for (const { published } of [page, hocr]) {
      const ledger = new IdentityLedger();
      let checked = 0;
      for (const [id, resource] of published) {
        if (!resource.schema) continue;
        expect(problems(resource.schema, resource.json), id).toEqual([]);
        ledger.record(resource.json, id);
        checked++;
      }
      expect(checked).toBeGreaterThan(20);
      expect(ledger.conflicts()).toEqual([]);
    }
  });

  it('gives each PAGE line an annotation whose xywh is the bounding box of its polygon', () => {
    const ids = documentIds(base, 3, 'page-pub');
    const annotations = json(page.published, ids.page('transcription', 'l1')).items as Json[];
    const canvas = ids.canvas('l1');
    expect(annotations.map((a) => [a.id, a.body.value, a.target])).toEqual([
      // r1l1's ten points: x 208…1012, y 288…382.
      [ids.annotation('transcription', 'l1', 'r1l1'), 'Товарищ Филиппов!', `${canvas}#xywh=208,288,804,94`],
      [ids.annotation('transcription', 'l1', 'r2al1'), '№ 21756 & Ко', `${canvas}#xywh=210,710,990,80`],
      [ids.annotation('transcription', 'l1', 'r2l1'), 'По вопросу о переговорах о перемирии в Корее', `${canvas}#xywh=210,505,1580,80`],
      [ids.annotation('transcription', 'l1', 'r3l1'), '43', `${canvas}#xywh=1800,100,100,60`],
      [ids.annotation('transcription', 'l1', 'r5l1'), 'Верно', `${canvas}#xywh=100,2800,300,80`],
    ]);
    // The 2013 file's Point polygons: x 105…880, y 110…190.
    expect(json(page.published, ids.page('transcription', 'l2')).items[0].target).toBe(`${ids.canvas('l2')}#xywh=105,110,775,80`);
  });

  it('places a translated paragraph over the union of the regions and lines it translates', () => {
    const ids = documentIds(base, 3, 'page-pub');
    const paragraphs = json(page.published, ids.page('translation', 'l1')).items as Json[];
    // r2l1 (210,505 1580×80) with region r2a (200,700 1600×180).
    expect(paragraphs[1]!.target).toBe(`${ids.canvas('l1')}#xywh=200,505,1600,375`);
  });

  it('publishes the PAGE file as seeAlso with the profile of its own schema version, served with that media type', () => {
    const ids = documentIds(base, 3, 'page-pub');
    const files = fileIds(base, 'page-pub');
    const [first, second] = json(page.published, ids.manifest).items as Json[];
    expect(first!.seeAlso[0]).toEqual({
      id: files.file('l1.page.xml'),
      type: 'Dataset',
      format: 'application/vnd.prima.page+xml',
      profile: PAGE_2019,
      label: { en: ['Transcription, PAGE XML'], ru: ['Транскрипция, PAGE XML'] },
    });
    expect(second!.seeAlso.map((s: Json) => s.profile)).toEqual([PAGE_2013]);
    expect(first!.rendering.map((r: Json) => r.format)).toEqual(['application/pdf']);
    const served = page.published.get(files.file('l1.page.xml'))!;
    expect(served.contentType).toBe('application/vnd.prima.page+xml; charset=utf-8');
    expect(served.body.identity.equals(page.document.files.get('l1.page.xml')!)).toBe(true);
  });

  it('publishes the hOCR file as seeAlso with the hOCR profile, served as hOCR and not as a web page', async () => {
    const ids = documentIds(base, 3, 'hocr-pub');
    const files = fileIds(base, 'hocr-pub');
    const canvases = json(hocr.published, ids.manifest).items as Json[];
    expect(canvases.map((c) => c.seeAlso[0])).toEqual(
      ['l3.hocr', 'l4.html'].map((file) => ({
        id: files.file(file),
        type: 'Dataset',
        format: 'text/vnd.hocr+html',
        profile: 'http://kba.github.io/hocr-spec/1.2/',
        label: { en: ['Transcription, hOCR'], ru: ['Транскрипция, hOCR'] },
      })),
    );
    expect(hocr.published.get(files.file('l4.html'))!.contentType).toBe('text/vnd.hocr+html; charset=utf-8');
    const lines = json(hocr.published, ids.page('transcription', 'l4')).items as Json[];
    expect(lines.map((a) => [a.body.value, a.target])).toEqual([
      ['Ф. 558 — оп. 11', `${ids.canvas('l4')}#xywh=50,50,700,70`],
      ['д. 340', `${ids.canvas('l4')}#xywh=50,150,700,70`],
    ]);
  });
});
