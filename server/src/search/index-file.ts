import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import type { Box } from '../document/model.js';
import { readSmallFile } from '../read-small-file.js';
import { Analyzer } from './analyzer.js';
import type {
  BuiltSearchIndex,
  IndexedLeaf,
  KeyedLists,
  IndexedToken,
  LatinSpelling,
  PlacedToken,
  Layer,
  SearchIndex,
  Segment,
  TextUnit,
  TokenList,
  VocabularyEntry,
} from './search-index.js';

/** Bump when the layout below or the tokenizer changes (stems and spellings are checked by analyzerVersion). */
const layoutVersion = 5;

/** Words whose stems and Latin spellings fingerprint the analyzer, so a changed stemmer never reads old files. */
const probeWords = ['переговоры', 'по-прежнему', 'товарищ', 'сталину', 'ёлка', 'negotiations', 'armistice', 'korea', 'mao'];

/** The version of the analysis an index file was written with: its layout and what the analyzer makes of a few words. */
export const analyzerVersion: string = (() => {
  const analyzer = new Analyzer();
  const probe = probeWords.map((w) => [analyzer.keys(w), analyzer.latin(w)]);
  return createHash('sha256').update(JSON.stringify([layoutVersion, probe])).digest('hex').slice(0, 16);
})();

type PackedBox = [number, number, number, number] | null;
/** What the header says of a unit: enough to place a hit, without its text. */
type UnitFacts = [layer: Layer, language: string, ref: string, region: PackedBox];

/** What is read at once: the versions, each unit's place and where each part lies; the parts when first used. */
interface Header {
  readonly analyzer: string;
  readonly version: string;
  readonly leaves: [id: string, page: [number, number] | null, units: UnitFacts[]][];
  /** CRC-32 of the parts, so a damaged file is known as such before any part is read. */
  readonly crc: number;
  /** Each part's end, from the end of the header: the sections in order, then each unit's. */
  readonly ends: number[];
}

const packBox = (b: Box | null): PackedBox => (b === null ? null : [b.x, b.y, b.w, b.h]);
const unpackBox = (b: PackedBox): Box | null => (b === null ? null : { x: b[0], y: b[1], w: b[2], h: b[3] });

/** Sections of an encoding, each one JSON text, in this order. */
const sections = ['postings', 'latinWords', 'latinStems', 'vocabulary', 'latinVocabulary'] as const;

/**
 * An index as separately gzipped parts, about a twentieth of the built index's memory and
 * outside the JS heap: the header's length (4 bytes, big-endian) and the header (JSON), then
 * the postings (key, then leaf, unit and token of each posting, flat), the Latin spellings,
 * the vocabulary (word, layer, language, count), the Latin vocabulary (spelling, position of
 * its entry), then each unit's text and token geometry (binary: packUnit). A token's keys and
 * surface are not kept: the postings and the vocabulary hold what a search needs of them. A
 * search decompresses the postings and the units it lands in, a fifth of the whole, rather
 * than all of it. It decodes to an index that answers as the one encoded.
 */
export function encodeSearchIndex(index: BuiltSearchIndex): Buffer {
  const entryAt = new Map(index.vocabulary.map((e, i) => [e, i]));
  const json = (part: unknown) => Buffer.from(JSON.stringify(part));
  const parts = [
    json([...index.postings]),
    json([...index.latinWords]),
    json([...index.latinStems]),
    json(index.vocabulary.map((e) => [e.word, e.layer, e.language, e.count])),
    json(index.latinVocabulary.map((s) => [s.spelling, entryAt.get(s.entry)!])),
    ...index.leaves.flatMap((leaf) => leaf.units.map((u) => packUnit(u.text, u.tokens.flatMap(tokenGeometry)))),
  ].map((part) => gzipSync(part));
  const body = Buffer.concat(parts);
  let end = 0;
  const header: Header = {
    analyzer: analyzerVersion,
    version: index.version,
    leaves: index.leaves.map((leaf) => [
      leaf.id,
      leaf.page && [leaf.page.width, leaf.page.height],
      leaf.units.map((u) => [u.layer, u.language, u.ref, packBox(u.region)]),
    ]),
    crc: crc32(body),
    ends: parts.map((part) => (end += part.length)),
  };
  const head = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, body]);
}

/**
 * A token's numbers: its start, end and number of parts, then per part its start, end, line
 * and box (x, y, w, h; w = -1 for none).
 */
function tokenGeometry(t: IndexedToken): number[] {
  const out = [t.start, t.end, t.parts.length];
  t.parts.forEach((p, i) => out.push(p.start, p.end, t.lines[i]!, ...(p.box ? [p.box.x, p.box.y, p.box.w, p.box.h] : [0, 0, -1, 0])));
  return out;
}

const partLength = 7;
/** The largest output buffer a part is decompressed into at once; a larger part is put together from several. */
const maxChunk = 4 * 1024 * 1024;
const fitsInt32 = (n: number) => Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff;

/**
 * A unit's text and its tokens' numbers, binary, so that reading it back parses nothing: the
 * text's byte length (4 bytes), the text (UTF-8), the width of each number (4: 32-bit
 * integers, the usual case; 8: doubles, for boxes with fractions), then the numbers, little-endian.
 */
function packUnit(text: string, geometry: readonly number[]): Buffer {
  const textBytes = Buffer.from(text);
  const width = geometry.every(fitsInt32) ? 4 : 8;
  const out = Buffer.alloc(5 + textBytes.length + width * geometry.length);
  out.writeUInt32LE(textBytes.length, 0);
  textBytes.copy(out, 4);
  let at = 4 + textBytes.length;
  out[at++] = width;
  for (const n of geometry) at = width === 4 ? out.writeInt32LE(n, at) : out.writeDoubleLE(n, at);
  return out;
}

/** A unit's numbers read in place, from the bytes packUnit wrote: no array of them is made. */
class Geometry {
  readonly length: number;
  readonly #view: DataView;
  readonly #wide: boolean;

  constructor(bytes: Buffer, from: number) {
    this.#wide = bytes[from] === 8;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset + from + 1, bytes.length - from - 1);
    this.length = this.#view.byteLength / (this.#wide ? 8 : 4);
  }

  at(i: number): number {
    return this.#wide ? this.#view.getFloat64(8 * i, true) : this.#view.getInt32(4 * i, true);
  }
}

/**
 * A unit read back from its file: the header's facts at once; its text and tokens from its
 * parts when first asked for (a search reads the few units it lands in).
 */
class DecodedUnit implements TextUnit {
  readonly layer: Layer;
  readonly language: string;
  readonly region: Box | null;
  readonly ref: string;
  readonly #read: (i: number) => Buffer;
  readonly #at: number;
  #bytes: Buffer | undefined;
  #text: string | undefined;
  #tokens: DecodedTokens | undefined;

  constructor([layer, language, ref, region]: UnitFacts, read: (i: number) => Buffer, at: number) {
    this.layer = layer;
    this.language = language;
    this.ref = ref;
    this.region = unpackBox(region);
    this.#read = read;
    this.#at = at;
  }

  get text(): string {
    const bytes = this.#body();
    return (this.#text ??= bytes.toString('utf8', 4, 4 + bytes.readUInt32LE(0)));
  }

  get tokens(): TokenList {
    if (!this.#tokens) {
      const bytes = this.#body();
      this.#tokens = new DecodedTokens(new Geometry(bytes, 4 + bytes.readUInt32LE(0)));
    }
    return this.#tokens;
  }

  #body(): Buffer {
    return (this.#bytes ??= this.#read(this.#at));
  }
}

/**
 * A unit's tokens, each made when asked for: a search reads a handful of a unit's hundreds.
 * Where each token's numbers start is found in one pass, on first use.
 */
class DecodedTokens implements TokenList {
  readonly #geometry: Geometry;
  readonly #starts: Int32Array;

  constructor(geometry: Geometry) {
    this.#geometry = geometry;
    // Always forward, whatever a part count says: bytes that passed the CRC check but hold a
    // negative count (a writer's bug) end the loop rather than hang it.
    const next = (at: number) => at + 3 + Math.max(0, geometry.at(at + 2)) * partLength;
    let count = 0;
    for (let at = 0; at < geometry.length; at = next(at)) count++;
    this.#starts = new Int32Array(count);
    for (let at = 0, i = 0; i < count; at = next(at)) this.#starts[i++] = at;
  }

  get length(): number {
    return this.#starts.length;
  }

  at(i: number): PlacedToken | undefined {
    const index = i < 0 ? i + this.length : i;
    return index >= 0 && index < this.length ? new DecodedToken(this.#geometry, this.#starts[index]!) : undefined;
  }

  slice(start = 0, end = this.length): PlacedToken[] {
    const out: PlacedToken[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.at(i)!);
    return out;
  }
}

/** A token read back: its numbers stay in the unit's bytes until asked for. */
class DecodedToken implements PlacedToken {
  constructor(
    private readonly geometry: Geometry,
    private readonly at: number,
  ) {}

  get start(): number {
    return this.geometry.at(this.at);
  }

  get end(): number {
    return this.geometry.at(this.at + 1);
  }

  get parts(): Segment[] {
    return this.partsAt((g, p) => {
      const box = g.at(p + 5) === -1 ? null : { x: g.at(p + 3), y: g.at(p + 4), w: g.at(p + 5), h: g.at(p + 6) };
      return { start: g.at(p), end: g.at(p + 1), box };
    });
  }

  get lines(): number[] {
    return this.partsAt((g, p) => g.at(p + 2));
  }

  private partsAt<T>(read: (geometry: Geometry, at: number) => T): T[] {
    const count = this.geometry.at(this.at + 2);
    return Array.from({ length: count }, (_, k) => read(this.geometry, this.at + 3 + k * partLength));
  }
}

/** Defines `key` to be computed on first read, then kept. */
function lazy<T extends object>(target: T, key: string, compute: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true });
      return value;
    },
  });
}

/**
 * The index an encoding holds, or undefined when it was written by another analyzer or is
 * unreadable. Only the header is parsed now; each section and each unit's tokens when first
 * used, so a search reads the postings and the few units it lands in rather than everything.
 * The parts' CRC is checked unless `checked` says these very bytes passed it already (an
 * encoding kept in memory since it was made or read): a search would check 42 KB again.
 */
export function decodeSearchIndex(bytes: Buffer, checked = false): SearchIndex | undefined {
  let header: Header;
  let body: Buffer;
  try {
    const headerEnd = 4 + bytes.readUInt32BE(0);
    header = JSON.parse(bytes.toString('utf8', 4, headerEnd)) as Header;
    body = bytes.subarray(headerEnd);
  } catch {
    return undefined;
  }
  if (header?.analyzer !== analyzerVersion) return undefined;
  const unitCount = header.leaves.reduce((n, [, , units]) => n + units.length, 0);
  const { ends } = header;
  if (ends.length !== sections.length + unitCount || ends.at(-1) !== body.length || (!checked && crc32(body) !== header.crc)) return undefined;
  const part = (i: number): Buffer => {
    const gzipped = body.subarray(i === 0 ? 0 : ends[i - 1], ends[i]);
    // Output room for exactly the part (its size ends the gzip member): a part is kept while
    // its unit is, and zlib's default 16 KiB chunks would keep up to that much more with it.
    return gunzipSync(gzipped, { chunkSize: Math.min(Math.max(64, gzipped.readUInt32LE(gzipped.length - 4) + 1), maxChunk) });
  };
  const parsed = (i: number): unknown => JSON.parse(part(i).toString('utf8'));
  const sectionAt = (name: (typeof sections)[number]) => sections.indexOf(name);

  let unitPart = sections.length;
  const leaves: IndexedLeaf[] = header.leaves.map(([id, page, units]) => ({
    id,
    page: page && { width: page[0], height: page[1] },
    units: units.map((unit) => new DecodedUnit(unit, part, unitPart++)),
  }));

  // A section's lists are looked up in place, in its bytes decompressed on the first lookup.
  const section = (name: 'postings' | 'latinWords' | 'latinStems') => new SectionLookup<never>(() => part(sectionAt(name)));
  const index = {
    version: header.version,
    leaves,
    postings: section('postings'),
    latinWords: section('latinWords'),
    latinStems: section('latinStems'),
  } as Partial<SearchIndex>;
  lazy(index, 'vocabulary', () =>
    (parsed(sectionAt('vocabulary')) as [string, Layer, string, number][]).map(
      ([word, layer, language, count]): VocabularyEntry => ({ word, layer, language, count }),
    ),
  );
  lazy(index, 'latinVocabulary', () => {
    const vocabulary = index.vocabulary!;
    return (parsed(sectionAt('latinVocabulary')) as [string, number][]).map(
      ([spelling, i]): LatinSpelling => ({ spelling, entry: vocabulary[i]! }),
    );
  });
  return index as SearchIndex;
}

/** Lookups a section answers in place before it is parsed whole (a search makes a few; a popular index, many). */
const lookupsBeforeParsing = 256;

/**
 * The lists of one encoded section (a JSON array of `[key, list]` pairs), each found in place:
 * the pair's opening `["key",[` — which no string can hold, as JSON escapes its quotes — then
 * its list alone is parsed. A search looks up a handful of keys, and parsing the whole section
 * into a map (thousands of keys) would cost it more than the rest of its answer. An index
 * looked up often (a popular document) parses it once and looks up the map from then on.
 */
class SectionLookup<V> implements KeyedLists<V> {
  private json: Buffer | undefined;
  private map: Map<string, V> | undefined;
  private lookups = 0;

  constructor(private readonly read: () => Buffer) {}

  get(key: string): V | undefined {
    if (this.map) return this.map.get(key);
    const json = (this.json ??= this.read());
    if (++this.lookups > lookupsBeforeParsing) {
      this.map = new Map(JSON.parse(json.toString('utf8')) as [string, V][]);
      this.json = undefined;
      return this.map.get(key);
    }
    const opening = Buffer.from(`[${JSON.stringify(key)},[`);
    const at = json.indexOf(opening);
    if (at === -1) return undefined;
    const list = at + opening.length - 1;
    return JSON.parse(json.toString('utf8', list, closingBracket(json, list, json.length) + 1)) as V;
  }
}

/** Where the JSON array opening at `from` closes (strings skipped); past `end` when it does not. */
function closingBracket(json: Buffer, from: number, end: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < end; i++) {
    const c = json[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next byte is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b) {
      depth++;
    } else if (c === 0x5d && --depth === 0) {
      return i;
    }
  }
  return end;
}

/** The folder of index files under CACHE_DIR, for the service and `npm run check` alike. */
export const indexDirOf = (cacheDir: string): string => path.join(cacheDir, 'search');

/**
 * Where a document's index is kept in `dir`: named by the document, the stamp of its data
 * (catalog/document-set.ts) and the analyzer version, so a file is never stale — changed data
 * or analysis looks for another name.
 */
export function indexFilePath(dir: string, documentId: string, stamp: string): string {
  const name = createHash('sha256').update(JSON.stringify([documentId, stamp, analyzerVersion])).digest('hex').slice(0, 40);
  return path.join(dir, name.slice(0, 2), `${name}.index`);
}

/** The file's bytes, or undefined when there is none (or it cannot be read: the index is then rebuilt). */
export async function readIndexFile(file: string): Promise<Buffer | undefined> {
  try {
    return await readSmallFile(file, 128 * 1024);
  } catch {
    return undefined;
  }
}

/** Writes under a temporary name and renames into place: a reader sees the whole file or none. */
export async function writeIndexFile(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
