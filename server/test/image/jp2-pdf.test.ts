import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { PDF_PRODUCER } from '../../src/image/pdf-page.js';
import { request } from '../helpers/http.js';
import { decodeJp2, fileType, readBoxes, readImageHeader } from '../helpers/jp2.js';
import { type Pattern, writePattern } from '../helpers/pattern.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { realDocuments } from '../presentation/real-data.js';

/**
 * The two formats not written by sharp (3.0 §4.5 jp2 and pdf), over HTTP at both versions:
 * JPEG 2000 from OpenJPEG in a worker thread, wrapped as a JP2 file; a one-page PDF around
 * the JPEG render. The fixtures are the 400×300 test pattern and a real page of the cable,
 * whose leaf gives the PDF its title.
 */
const pattern: Pattern = { width: 400, height: 300, columns: 4, rows: 3 };
const page = 'rgaspi-f558-op11-d340-l043';

let server: TestServer;
const get = (p: string, headers: Record<string, string> = {}) => request(server.url, p, { headers });

beforeAll(async () => {
  server = await startServer({
    env: { TILE_SIZE: '256', MAX_WIDTH: '2000', MAX_HEIGHT: '2000', MAX_AREA: '2000000' },
    fixtures: async (dir) => {
      await writePattern(path.join(dir, 'pattern.png'), pattern);
      await copyFile(path.join(projectRoot, 'images', `${page}.jpg`), path.join(dir, `${page}.jpg`));
    },
    deps: { documents: await realDocuments() },
  });
});
afterAll(async () => {
  await server?.close();
});

async function ok(p: string, type: string): Promise<Buffer> {
  const res = await get(p);
  expect(res.status, `${p}: ${res.body.subarray(0, 200).toString()}`).toBe(200);
  expect(res.header('content-type')).toBe(type);
  return res.body;
}

/** Mean absolute difference per sample between two interleaved 8-bit images of one shape. */
function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

async function rawOf(body: Buffer, channels: 1 | 3) {
  let img = sharp(body);
  img = channels === 1 ? img.toColourspace('b-w') : img.removeAlpha().toColourspace('srgb');
  return img.raw().toBuffer({ resolveWithObject: true });
}

describe.each([3, 2] as const)('Image API %s: jp2', (version) => {
  const prefix = `/iiif/${version}/pattern/full`;

  it('is image/jp2, a JP2 file by file(1), with the JP2 boxes in order and the requested size', async () => {
    const body = await ok(`${prefix}/200,/0/default.jp2`, 'image/jp2');
    expect(fileType(body)).toMatch(/^JPEG 2000 .*\(JP2\)/);
    const boxes = readBoxes(body);
    expect(boxes.map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
    const [ihdr, colr] = readBoxes(boxes[2]!.content);
    expect(readImageHeader(ihdr!.content)).toMatchObject({ width: 200, height: 150, components: 3, bpc: 7, compression: 7 });
    expect(colr!.content.readUInt32BE(3)).toBe(16);
    // SOC then SIZ: a codestream, not a nested file.
    expect(boxes[3]!.content.subarray(0, 4)).toEqual(Buffer.from([0xff, 0x4f, 0xff, 0x51]));
  });

  it('decodes to the pixels of the JPEG render of the same request, within a few levels', async () => {
    const jp2 = await decodeJp2(await ok(`${prefix}/300,/!30/default.jp2`, 'image/jp2'));
    const jpg = await rawOf(await ok(`${prefix}/300,/!30/default.jpg`, 'image/jpeg'), 3);
    expect([jp2.width, jp2.height, jp2.components]).toEqual([jpg.info.width, jpg.info.height, 3]);
    expect(meanAbsoluteDifference(jp2.pixels, jpg.data)).toBeLessThan(3);
  });

  it.each(['gray', 'bitonal'])('gives %s as one component, marked greyscale', async (quality) => {
    const body = await ok(`${prefix}/200,/0/${quality}.jp2`, 'image/jp2');
    const [ihdr, colr] = readBoxes(readBoxes(body)[2]!.content);
    expect(readImageHeader(ihdr!.content).components).toBe(1);
    expect(colr!.content.readUInt32BE(3)).toBe(17);
    const jp2 = await decodeJp2(body);
    expect([jp2.width, jp2.height, jp2.components]).toEqual([200, 150, 1]);
    const jpg = await rawOf(await ok(`${prefix}/200,/0/${quality}.jpg`, 'image/jpeg'), 1);
    expect(meanAbsoluteDifference(jp2.pixels, jpg.data)).toBeLessThan(quality === 'bitonal' ? 8 : 3);
    if (quality === 'bitonal') {
      // Still black and white after the lossy wavelet: nearly every sample is near 0 or 255.
      const middling = jp2.pixels.filter((v) => v > 48 && v < 208).length;
      expect(middling / jp2.pixels.length).toBeLessThan(0.05);
    }
  });

  it('stays within twice the size of the JPEG of the same request, for the pattern and a real page', async () => {
    const requests = [`${prefix}/max/0/default`, `/iiif/${version}/${page}/full/1000,/0/default`, `/iiif/${version}/${page}/full/1000,/0/gray`];
    for (const p of requests) {
      const jp2 = await ok(`${p}.jp2`, 'image/jp2');
      const jpg = await ok(`${p}.jpg`, 'image/jpeg');
      expect(jp2.length / jpg.length, p).toBeLessThan(2);
    }
  }, 30_000);

  it('is never taken from the JPEG tile store, and has an ETag of its own', async () => {
    await server.images.ingestAll();
    const counts = server.images.counts;
    const tile = `/iiif/${version}/pattern/0,0,256,256/256,/0/default`;
    const stored = counts.store + counts.memory;
    const jpg = await get(`${tile}.jpg`);
    expect(counts.store + counts.memory).toBe(stored + 1);
    const store = counts.store;
    const jp2 = await get(`${tile}.jp2`);
    expect(counts.store).toBe(store);
    expect(fileType(jp2.body)).toMatch(/JP2/);
    expect(jp2.header('etag')).not.toBe(jpg.header('etag'));
    expect(jp2.header('link')).toContain('/default.jp2>;rel="canonical"');
  }, 60_000); // the first run builds the tile stores, the real page's too
});

/** The pixel size of every image XObject on a page. */
function imageSizes(doc: PDFDocument): [number, number][] {
  const resources = doc.getPage(0).node.Resources();
  const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects) return [];
  return xobjects.entries().flatMap(([, ref]) => {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return [];
    const size = (key: string) => (stream.dict.lookup(PDFName.of(key), PDFNumber) as PDFNumber).asNumber();
    return [[size('Width'), size('Height')] as [number, number]];
  });
}

describe.each([3, 2] as const)('Image API %s: pdf', (version) => {
  it('is application/pdf, a PDF document by file(1), one page of the pixel size holding one image of that size', async () => {
    const body = await ok(`/iiif/${version}/pattern/full/300,/90/default.pdf`, 'application/pdf');
    expect(fileType(body)).toMatch(/^PDF document/);
    const doc = await PDFDocument.load(body, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    // Rotated by 90°: 300×225 becomes 225×300, the page too.
    expect(doc.getPage(0).getSize()).toEqual({ width: 225, height: 300 });
    expect(imageSizes(doc)).toEqual([[225, 300]]);
  });

  it('names the document and leaf as Title, the canonical URL as Subject and this service as Producer', async () => {
    const res = await get(`/iiif/${version}/${page}/full/!400,400/0/gray.pdf`);
    expect(res.status).toBe(200);
    const doc = await PDFDocument.load(res.body, { updateMetadata: false });
    expect(doc.getTitle()).toMatch(/^Cable No\. 21756, .+ — l\. 43$/);
    const canonical = /^<([^>]+)>;rel="canonical"/.exec(res.header('link'))?.[1];
    expect(canonical).toMatch(new RegExp(`/iiif/${version}/${page}/full/\\d+,(\\d+)?/0/gray\\.pdf$`));
    expect(doc.getSubject()).toBe(canonical);
    expect(doc.getProducer()).toBe(PDF_PRODUCER);
    const [[w, h]] = imageSizes(doc) as [[number, number]];
    expect(Math.max(w, h)).toBe(400);
    expect(doc.getPage(0).getSize()).toEqual({ width: w, height: h });
  });

  it('falls back to the identifier as Title for an image of no document', async () => {
    const doc = await PDFDocument.load(await ok(`/iiif/${version}/pattern/full/100,/0/bitonal.pdf`, 'application/pdf'), {
      updateMetadata: false,
    });
    expect(doc.getTitle()).toBe('pattern');
    expect(imageSizes(doc)).toEqual([[100, 75]]);
  });
});

describe('what a pdf carries depends on the request, and so do its bytes and ETag', () => {
  it('gives each host its own canonical URL, ETag and cached file', async () => {
    const p = '/iiif/3/pattern/full/120,/0/default.pdf';
    const a = await get(p, { Host: 'a.example' });
    const b = await get(p, { Host: 'b.example' });
    expect(a.header('etag')).not.toBe(b.header('etag'));
    const subject = async (body: Buffer) => (await PDFDocument.load(body, { updateMetadata: false })).getSubject();
    expect(await subject(a.body)).toBe('http://a.example/iiif/3/pattern/full/120,90/0/default.pdf');
    expect(await subject(b.body)).toBe('http://b.example/iiif/3/pattern/full/120,90/0/default.pdf');
    // The same request again: the same bytes (nothing time-dependent), as the strong ETag promises.
    expect((await get(p, { Host: 'a.example' })).body).toEqual(a.body);
  });

  it('answers revalidation with 304 and differs from the jpg and jp2 ETags', async () => {
    const base = '/iiif/3/pattern/full/120,/0/default';
    const tags = await Promise.all(['jpg', 'jp2', 'pdf'].map(async (f) => (await get(`${base}.${f}`)).header('etag')));
    expect(new Set(tags).size).toBe(3);
    expect((await get(`${base}.pdf`, { 'If-None-Match': tags[2]! })).status).toBe(304);
  });
});

describe('limits apply to jp2 and pdf as to every format', () => {
  it.each(['jp2', 'pdf'])('refuses an output above maxWidth as %s with a 400', async (format) => {
    const res = await get(`/iiif/3/pattern/full/^2001,/0/default.${format}`);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('size');
  });
});
