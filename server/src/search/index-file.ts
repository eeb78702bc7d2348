import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync, constants as zlib } from 'node:zlib';
import type { Box } from '../document/model.js';
import { Analyzer } from './analyzer.js';
import type {
  BuiltSearchIndex,
  IndexedLeaf,
  KeyedLists,
  IndexedToken,
  LatinSpelling,
  Layer,
  SearchIndex,
  Segment,
  TextUnit,
  VocabularyEntry,
} from './search-index.js';

/** Bump when the layout below or the tokenizer changes (stems and spellings are checked by analyzerVersion). */
const layoutVersion = 2;

/** Words whose stems and Latin spellings fingerprint the analyzer, so a changed stemmer never reads old files. */
const probeWords = ['переговоры', 'по-прежнему', 'товарищ', 'сталину', 'ёлка', 'negotiations', 'armistice', 'korea', 'mao'];

/** The version of the analysis an index file was written with: its layout and what the analyzer makes of a few words. */
export const analyzerVersion: string = (() => {
  const analyzer = new Analyzer();
  const probe = probeWords.map((w) => [analyzer.keys(w), analyzer.latin(w)]);
  return createHash('sha256').update(JSON.stringify([layoutVersion, probe])).digest('hex').slice(0, 16);
})();

type PackedBox = [number, number, number, number] | null;
type PackedToken = [keys: string[], surface: string, start: number, end: number, parts: [number, number, PackedBox][], lines: number[]];
/** What is read at once: the versions and each unit's place; the rest is read when first used. */
interface Header {
  readonly analyzer: string;
  readonly version: string;
  readonly leaves: [id: string, page: [number, number] | null, units: [layer: Layer, language: string, ref: string, region: PackedBox][]][];
}

const packBox = (b: Box | null): PackedBox => (b === null ? null : [b.x, b.y, b.w, b.h]);
const unpackBox = (b: PackedBox): Box | null => (b === null ? null : { x: b[0], y: b[1], w: b[2], h: b[3] });

/** Sections of an encoding, one JSON text a line (JSON never has a raw line feed), in this order. */
const sections = ['postings', 'latinWords', 'latinStems', 'vocabulary', 'latinVocabulary'] as const;

/**
 * An index as gzipped JSON lines: about a twentieth of the built index's memory, and outside
 * the JS heap. The header, then the postings (key, then leaf, unit and token of each posting,
 * flat), the Latin spellings, the vocabulary (word, layer, language, count), the Latin
 * vocabulary (spelling, position of its entry), then each unit's text and tokens. It decodes to
 * an index equal to the one encoded.
 */
export function encodeSearchIndex(index: BuiltSearchIndex): Buffer {
  const entryAt = new Map(index.vocabulary.map((e, i) => [e, i]));
  const header: Header = {
    analyzer: analyzerVersion,
    version: index.version,
    leaves: index.leaves.map((leaf) => [
      leaf.id,
      leaf.page && [leaf.page.width, leaf.page.height],
      leaf.units.map((u) => [u.layer, u.language, u.ref, packBox(u.region)]),
    ]),
  };
  const lines = [
    header,
    [...index.postings],
    [...index.latinWords],
    [...index.latinStems],
    index.vocabulary.map((e) => [e.word, e.layer, e.language, e.count]),
    index.latinVocabulary.map((s) => [s.spelling, entryAt.get(s.entry)!]),
    ...index.leaves.flatMap((leaf) =>
      leaf.units.map((u) => [
        u.text,
        u.tokens.map((t): PackedToken => [
          [...t.keys],
          t.surface,
          t.start,
          t.end,
          t.parts.map((p) => [p.start, p.end, packBox(p.box)]),
          [...t.lines],
        ]),
      ]),
    ),
  ];
  // Level 1: a third of the JSON at a fraction of the default level's time.
  return gzipSync(lines.map((l) => JSON.stringify(l)).join('\n'), { level: zlib.Z_BEST_SPEED });
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
 */
export function decodeSearchIndex(bytes: Buffer): SearchIndex | undefined {
  let json: Buffer;
  let header: Header;
  const ends: number[] = [];
  try {
    json = gunzipSync(bytes);
    for (let at = json.indexOf(10); at !== -1; at = json.indexOf(10, at + 1)) ends.push(at);
    ends.push(json.length);
    header = JSON.parse(json.toString('utf8', 0, ends[0])) as Header;
  } catch {
    return undefined;
  }
  if (header?.analyzer !== analyzerVersion) return undefined;
  const unitCount = header.leaves.reduce((n, [, , units]) => n + units.length, 0);
  if (ends.length !== 1 + sections.length + unitCount) return undefined;
  const line = (i: number): unknown => JSON.parse(json.toString('utf8', ends[i - 1]! + 1, ends[i]));
  const sectionAt = (name: (typeof sections)[number]) => 1 + sections.indexOf(name);

  let unitLine = 1 + sections.length;
  const leaves: IndexedLeaf[] = header.leaves.map(([id, page, units]) => ({
    id,
    page: page && { width: page[0], height: page[1] },
    units: units.map(([layer, language, ref, region]) => {
      const at = unitLine++;
      let body: [string, PackedToken[]] | undefined;
      const read = () => (body ??= line(at) as [string, PackedToken[]]);
      const unit = { layer, language, region: unpackBox(region), ref } as Partial<TextUnit>;
      lazy(unit, 'text', () => read()[0]);
      lazy(unit, 'tokens', () =>
        read()[1].map(
          ([keys, surface, start, end, parts, lines]): IndexedToken => ({
            keys,
            surface,
            start,
            end,
            parts: parts.map(([s, e, box]): Segment => ({ start: s, end: e, box: unpackBox(box) })),
            lines,
          }),
        ),
      );
      return unit as TextUnit;
    }),
  }));

  const section = (name: 'postings' | 'latinWords' | 'latinStems') => {
    const at = sectionAt(name);
    return new SectionLookup<never>(json, ends[at - 1]! + 1, ends[at]!);
  };
  const index = {
    version: header.version,
    leaves,
    postings: section('postings'),
    latinWords: section('latinWords'),
    latinStems: section('latinStems'),
  } as Partial<SearchIndex>;
  lazy(index, 'vocabulary', () =>
    (line(sectionAt('vocabulary')) as [string, Layer, string, number][]).map(
      ([word, layer, language, count]): VocabularyEntry => ({ word, layer, language, count }),
    ),
  );
  lazy(index, 'latinVocabulary', () => {
    const vocabulary = index.vocabulary!;
    return (line(sectionAt('latinVocabulary')) as [string, number][]).map(
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
  private map: Map<string, V> | undefined;
  private lookups = 0;

  constructor(
    private readonly json: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get(key: string): V | undefined {
    if (this.map) return this.map.get(key);
    if (++this.lookups > lookupsBeforeParsing) {
      this.map = new Map(JSON.parse(this.json.toString('utf8', this.start, this.end)) as [string, V][]);
      return this.map.get(key);
    }
    const opening = Buffer.from(`[${JSON.stringify(key)},[`);
    const found = this.json.subarray(this.start, this.end).indexOf(opening);
    if (found === -1) return undefined;
    const list = this.start + found + opening.length - 1;
    return JSON.parse(this.json.toString('utf8', list, closingBracket(this.json, list, this.end) + 1)) as V;
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
  return path.join(dir, name.slice(0, 2), `${name}.json.gz`);
}

/** The file's bytes, or undefined when there is none (or it cannot be read: the index is then rebuilt). */
export async function readIndexFile(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
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
