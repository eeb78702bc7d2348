import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gunzipSync, gzip, gzipSync, type BrotliOptions } from 'node:zlib';
import type { Request, Response } from 'express';
import Negotiator from 'negotiator';

export type ContentCoding = 'br' | 'gzip' | 'identity';
type Compressed = Exclude<ContentCoding, 'identity'>;

const codings: readonly ContentCoding[] = ['br', 'gzip', 'identity'];
const gzipFirst: readonly ContentCoding[] = ['gzip', 'br', 'identity'];

/** Below this, a compressed body would save less than its own headers cost. */
export const minCompressedBytes = 1024;

/**
 * Bodies up to this size are compressed on the event loop: a manifest or a search answer takes
 * 0.1 to 0.3 ms, less than a turn through zlib's thread pool costs a request under load.
 */
export const syncCompressMaxBytes = 64 * 1024;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

// Quality 5 of 11: most of brotli's gain on JSON at a small part of its top quality's time.
const brotliOptions = (body: Buffer): BrotliOptions => ({
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
  },
});

const compressors: Record<Compressed, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    body.length <= syncCompressMaxBytes ? settled(() => ownSized(brotliCompressSync(body, brotliOptions(body)))) : brotli(body, brotliOptions(body)).then(ownSized),
  gzip: (body) => (body.length <= syncCompressMaxBytes ? settled(() => ownSized(gzipSync(body))) : gzipped(body).then(ownSized)),
};

/**
 * The bytes in a buffer of their own size. zlib writes its output into 16 KiB chunks and
 * returns a view of them: a 2 KB compressed answer kept in a cache would keep 16 KiB alive,
 * eight times what the cache reckons it at. Not Buffer.from: a small copy would be a view of
 * Node's shared pool, a larger buffer again.
 */
export function ownSized(bytes: Buffer): Buffer {
  if (bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const own = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(own);
  return own;
}

function settled(compress: () => Buffer): Promise<Buffer> {
  try {
    return Promise.resolve(compress());
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/**
 * A complete response body with its compressed forms, each made once, the first time a
 * client asks for it (on the event loop up to `syncCompressMaxBytes`, in zlib's thread pool
 * above). Kept in a cache, an answer is compressed once
 * however often it is sent, where a streaming compression middleware would compress it on
 * every response and wrap every response in the route, compressed or not. A body kept
 * gzipped (`fromGzip`) is sent to gzip clients as it is, and decompressed only when another
 * coding is asked for.
 */
export class EncodedBody {
  readonly #forms = new Map<Compressed, Promise<Buffer>>();
  /** Bytes of the compressed forms made so far (the gzip form it was given included). */
  #formBytes = 0;
  readonly #identity: Buffer | undefined;
  readonly #gzip: Buffer | undefined;
  /** Length of the body as it is (identity), known without decompressing it. */
  readonly size: number;

  constructor(identity: Buffer);
  /** Use `fromGzip`. */
  constructor(identity: undefined, gzipped: Buffer, size: number);
  constructor(identity: Buffer | undefined, gzipped?: Buffer, size?: number) {
    this.#identity = identity;
    this.#gzip = gzipped;
    this.size = identity?.length ?? size!;
    if (gzipped) {
      this.#forms.set('gzip', Promise.resolve(gzipped));
      this.#formBytes = gzipped.length;
    }
  }

  /** A body from its gzip form and the length of what it holds. */
  static fromGzip(gzipped: Buffer, size: number): EncodedBody {
    return new EncodedBody(undefined, gzipped, size);
  }

  /**
   * The body as it is. One kept gzipped is decompressed on each use, not kept: it then costs
   * memory its gzip form only, a fifth of the body or less, and the rare client that takes no
   * gzip costs a decompression (a tenth of a millisecond for a manifest).
   */
  get identity(): Buffer {
    return this.#identity ?? gunzipSync(this.#gzip!, { chunkSize: Math.max(16 * 1024, this.size) });
  }

  /**
   * Codings by preference on a tie in Accept-Encoding: brotli first, as its form is made once
   * and kept; gzip first for a body kept gzipped, which is sent as it is (brotli would be 8%
   * smaller for a manifest, at a decompression and a compression, and memory for a second form).
   */
  get preferred(): readonly ContentCoding[] {
    return this.#identity ? codings : gzipFirst;
  }

  /** Bytes held now: the body as it is, if kept, and the compressed forms made. */
  get heldBytes(): number {
    return (this.#identity?.length ?? 0) + this.#formBytes;
  }

  /**
   * Bytes to reckon the body at when it is kept, for the forms it may yet be asked for: as it
   * is, with a quarter more for its compressed forms (JSON compresses to a fifth or less);
   * kept gzipped, twice the gzip form, for a brotli form of about its size.
   */
  get reckonedBytes(): number {
    return this.#identity ? Math.ceil(1.25 * this.size) : 2 * this.#gzip!.length;
  }

  /**
   * This body holding bytes of its own: one kept gzipped as a view of a larger buffer (a kept
   * build's file) is copied, so that keeping it does not keep the whole buffer alive.
   */
  standalone(): EncodedBody {
    const gzip = this.#gzip;
    if (this.#identity || !gzip || gzip.byteLength === gzip.buffer.byteLength) return this;
    return EncodedBody.fromGzip(ownSized(gzip), this.size);
  }

  /**
   * This body held in its gzip form only, made now on the event loop: for a body that is kept
   * long and compresses well (a collection of 250 documents: 73 KB as it is, 1.3 KB gzipped).
   */
  gzippedOnly(): EncodedBody {
    if (!this.#identity) return this;
    return EncodedBody.fromGzip(ownSized(gzipSync(this.#identity)), this.size);
  }

  /** The body in `coding`; a failed compression is forgotten, so the next request tries again. */
  encoded(coding: ContentCoding): Promise<Buffer> {
    if (coding === 'identity') return Promise.resolve(this.identity);
    let form = this.#forms.get(coding);
    if (!form) {
      form = compressors[coding](this.identity);
      this.#forms.set(coding, form);
      form.then(
        (bytes) => {
          this.#formBytes += bytes.length;
        },
        () => this.#forms.delete(coding),
      );
    }
    return form;
  }
}

/**
 * The coding the request's Accept-Encoding rates highest; on a tie the first of `preferred`
 * (browsers list "gzip, deflate, br" at equal weight). Short bodies go as they are, and so does
 * a body whose every coding the client refused: a 406 would serve nobody.
 */
export function chooseCoding(req: Pick<Request, 'headers'>, size: number, preferred: readonly ContentCoding[] = codings): ContentCoding {
  if (size < minCompressedBytes) return 'identity';
  const coding = new Negotiator(req).encoding(codings, { preferred });
  return coding === 'br' || coding === 'gzip' ? coding : 'identity';
}

/**
 * The strong ETag of a coded representation: the identity tag with the coding appended
 * (RFC 9110 §8.8.3: a compressed body is a different representation).
 */
export function codedEtag(etag: string, coding: ContentCoding): string {
  return coding === 'identity' ? etag : `${etag.slice(0, -1)}-${coding}"`;
}

const codingSuffix = /-(gzip|br|deflate)"$/;

/**
 * The client's tag in If-None-Match that names this representation in any coding, if any
 * (weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match).
 */
export function matchingTag(ifNoneMatch: string | undefined, etag: string): string | undefined {
  if (!ifNoneMatch) return undefined;
  if (ifNoneMatch.trim() === '*') return etag;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .find((t) => t.replace(/^W\//, '').replace(codingSuffix, '"') === etag);
}

/**
 * Answers 304 when If-None-Match holds this representation in any coding, echoing the tag the
 * client holds; false when the body must be sent. A request's own `Cache-Control: no-cache`
 * does not defeat it: that directive is for caches on the way (RFC 9111 §5.2.1.4), and a
 * client sending If-None-Match has asked this origin to validate.
 */
export function answeredNotModified(req: Request, res: Response, etag: string): boolean {
  const held = matchingTag(req.get('If-None-Match'), etag);
  if (!held) return false;
  res.vary('Accept-Encoding');
  res.setHeader('ETag', held.replace(/^W\//, ''));
  res.status(304).end();
  return true;
}

/**
 * Sends `body` in the coding the client prefers, with `etag` made specific to it. The caller
 * has set the other headers and answered revalidation (answeredNotModified).
 */
export async function sendEncoded(req: Request, res: Response, body: EncodedBody, etag: string): Promise<void> {
  res.vary('Accept-Encoding');
  const coding = chooseCoding(req, body.size, body.preferred);
  const bytes = await body.encoded(coding);
  if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
  res.setHeader('ETag', codedEtag(etag, coding));
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}
