import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseCoding, codedEtag, EncodedBody, minCompressedBytes, sendEncoded, syncCompressMaxBytes } from '../../src/http/encoded-body.js';
import { request } from '../helpers/http.js';
import { listen, type Listening } from './listen.js';

const json = Buffer.from(JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: `hit-${i}`, text: 'переговоры' })) }));

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A server answering one body through sendEncoded, and raw responses (fetch would decode them). */
async function serve(body: EncodedBody) {
  const app = express();
  app.get('/answer', async (req, res) => {
    res.setHeader('Content-Type', 'application/json');
    await sendEncoded(req, res, body, '"tag"');
  });
  running = await listen(app);
  const { url } = running;
  return (acceptEncoding?: string) =>
    request(url, '/answer', { headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } });
}

describe('sendEncoded', () => {
  it('sends brotli when accepted, gzip otherwise, each decoding to the same bytes', async () => {
    const get = await serve(new EncodedBody(json));
    const br = await get('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body)).toEqual(json);
    expect(br.body.length).toBeLessThan(json.length / 4);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body)).toEqual(json);
    for (const r of [br, gz]) expect(r.headers.vary).toBe('Accept-Encoding');
  });

  it('tags each coding with its own strong ETag', async () => {
    const get = await serve(new EncodedBody(json));
    expect((await get()).headers.etag).toBe('"tag"');
    expect((await get('gzip')).headers.etag).toBe('"tag-gzip"');
    expect((await get('br')).headers.etag).toBe('"tag-br"');
  });

  it('sends the plain bytes without Accept-Encoding, or when only identity is accepted', async () => {
    const get = await serve(new EncodedBody(json));
    for (const accept of [undefined, 'identity', 'gzip;q=0, br;q=0']) {
      const plain = await get(accept);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toEqual(json);
    }
  });
});

describe('EncodedBody', () => {
  it('compresses bodies small enough for the event loop and larger ones in the thread pool alike', async () => {
    // About 50 bytes a record.
    const sized = (bytes: number) =>
      Buffer.from(JSON.stringify(Array.from({ length: Math.ceil(bytes / 50) }, (_, i) => ({ id: `hit-${i}`, text: `переговоры ${i % 97}` }))));
    const [small, large] = [sized(syncCompressMaxBytes / 4), sized(syncCompressMaxBytes * 3)];
    expect([small!.length < syncCompressMaxBytes, large!.length > syncCompressMaxBytes]).toEqual([true, true]);
    for (const plain of [small!, large!]) {
      const body = new EncodedBody(plain);
      expect(brotliDecompressSync(await body.encoded('br')).equals(plain)).toBe(true);
      expect(gunzipSync(await body.encoded('gzip')).equals(plain)).toBe(true);
    }
  });

  it('held gzipped only, sends every coding the same bytes as the body it was made from', async () => {
    const plain = new EncodedBody(json);
    const kept = plain.gzippedOnly();
    expect(kept.heldBytes).toBeLessThan(json.length / 5);
    expect(kept.size).toBe(json.length);
    expect(kept.identity).toEqual(json);
    expect(await kept.encoded('gzip')).toEqual(await plain.encoded('gzip'));
    expect(brotliDecompressSync(await kept.encoded('br'))).toEqual(json);
    expect(kept.gzippedOnly()).toBe(kept);
  });

  it('keeps each compressed form in a buffer of its own size, not in a view of zlib\'s larger output chunk', async () => {
    const sized = (records: number) => Buffer.from(JSON.stringify(Array.from({ length: records }, (_, i) => ({ id: `hit-${i}`, text: `переговоры ${i % 97}` }))));
    for (const plain of [sized(40), sized(3000)]) {
      const body = new EncodedBody(plain);
      for (const form of [await body.encoded('br'), await body.encoded('gzip'), await body.gzippedOnly().encoded('gzip')]) {
        expect(form.buffer.byteLength).toBe(form.length);
      }
    }
  });

  it('compresses once however often a form is asked for', async () => {
    const body = new EncodedBody(json);
    const first = await body.encoded('gzip');
    expect(await body.encoded('gzip')).toBe(first);
    expect(await body.encoded('identity')).toBe(json);
  });

  it('kept gzipped, sends those very bytes to gzip clients and decompresses, without keeping, only for others', async () => {
    const gzipped = gzipSync(json);
    const body = EncodedBody.fromGzip(gzipped, json.length);
    expect([body.size, body.heldBytes]).toEqual([json.length, gzipped.length]);
    const get = await serve(body);
    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body).toEqual(gzipped);
    expect(body.heldBytes).toBe(gzipped.length);
    // The body as it is is made for the client that asks for it, and not kept.
    expect((await get()).body).toEqual(json);
    expect(body.heldBytes).toBe(gzipped.length);
    // A browser's "gzip, deflate, br" is sent the gzip form it holds, not a brotli form made for it.
    expect((await get('gzip, deflate, br')).body.equals(gzipped)).toBe(true);
    expect(body.heldBytes).toBe(gzipped.length);
    const br = (await get('br')).body;
    expect(brotliDecompressSync(br)).toEqual(json);
    expect(body.heldBytes).toBe(gzipped.length + br.length);
    expect(body.reckonedBytes).toBe(2 * gzipped.length);
  });
});

describe('EncodedBody.standalone', () => {
  it('copies a body kept as a view of a larger buffer, and keeps one that holds its own bytes', async () => {
    const gzipped = gzipSync(json);
    const file = Buffer.concat([Buffer.alloc(100_000, 1), gzipped, Buffer.alloc(100_000, 2)]);
    const view = EncodedBody.fromGzip(file.subarray(100_000, 100_000 + gzipped.length), json.length);
    const own = view.standalone();
    expect(own).not.toBe(view);
    const bytes = await own.encoded('gzip');
    expect(bytes).toEqual(gzipped);
    expect(bytes.buffer).not.toBe(file.buffer);
    expect(bytes.buffer.byteLength).toBe(gzipped.length);
    expect(own.standalone()).toBe(own);
    const built = new EncodedBody(json);
    expect(built.standalone()).toBe(built);
  });
});

describe('chooseCoding', () => {
  const accepting = (value: string) => ({ headers: { 'accept-encoding': value } });

  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['*', 'br'],
    ['deflate', 'identity'],
    ['identity;q=0', 'identity'],
    ['', 'identity'],
  ])('picks, for Accept-Encoding "%s", %s', (header, coding) => {
    expect(chooseCoding(accepting(header), minCompressedBytes)).toBe(coding);
  });

  it.each([
    ['gzip, deflate, br, zstd', 'gzip'],
    ['br', 'br'],
    ['br, gzip;q=0.8', 'br'],
  ])('for a body kept gzipped, picks for "%s" %s', (header, coding) => {
    expect(chooseCoding(accepting(header), minCompressedBytes, EncodedBody.fromGzip(gzipSync(json), json.length).preferred)).toBe(coding);
  });

  it('leaves short bodies uncompressed', () => {
    expect(chooseCoding(accepting('br'), minCompressedBytes - 1)).toBe('identity');
    expect(chooseCoding(accepting('br'), minCompressedBytes)).toBe('br');
  });
});

describe('codedEtag', () => {
  it('appends the coding inside the quotes', () => {
    expect(codedEtag('"abc"', 'gzip')).toBe('"abc-gzip"');
    expect(codedEtag('"abc"', 'identity')).toBe('"abc"');
  });
});
