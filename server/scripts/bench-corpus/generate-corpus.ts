/**
 * A synthetic archive for the corpus benchmark: N copies of one document folder, each with
 * its own document id (the folder name) and image stems, spread over delos of one opis.
 * Only record.json differs between copies; every other file of the folder, and every page
 * image, is a hard link to the original, so 10,000 documents take ~250 MB and ~10 s.
 *
 * A corpus is cached under `root` by N, delo size and a hash of the source data (and of this
 * generator), written aside and renamed into place so a half-written one is never reused.
 */
import { createHash } from 'node:crypto';
import { cp, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eachLimited } from './each-limited.js';

/** Bumped whenever the generated layout changes, so older cached corpora are not reused. */
const LAYOUT_VERSION = 1;
const RECORD_FILE = 'record.json';
const SCHEMA_FOLDER = 'schema';
/** The corpus's own note of what it contains (never a document folder: it is a file). */
const INDEX_FILE = 'corpus.json';

export interface CorpusSource {
  /** The manifests folder holding `schema/` and the document folder. */
  readonly manifestsDir: string;
  /** The document folder copied, by name. */
  readonly document: string;
  readonly imagesDir: string;
}

export interface CorpusOptions {
  readonly documents: number;
  /** Documents per delo: the size of a delo collection. */
  readonly perDelo: number;
  /** Folder of cached corpora. */
  readonly root: string;
  /** Regenerate even when a cached corpus matches. */
  readonly fresh?: boolean;
}

export interface Corpus {
  readonly dir: string;
  readonly manifestsDir: string;
  readonly imagesDir: string;
  /** Document ids, in generation order. */
  readonly documents: readonly string[];
  /** Delo ids (collection units), in order. */
  readonly delos: readonly string[];
  readonly leaves: number;
  /** True when it was found in the cache rather than generated now. */
  readonly reused: boolean;
  /** The names directly in `manifestsDir` as generated: anything else was written there later. */
  readonly manifestsEntries: readonly string[];
}

interface Leaf {
  id: string;
  image: string;
}

interface HierarchyUnit {
  id: string;
  label: Record<string, string[]>;
}

interface SourceRecord {
  hierarchy: HierarchyUnit[];
  leaves: Leaf[];
  [field: string]: unknown;
}

/** Every file under `dir`, as paths relative to it, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** The source image of a stem: the file in `imagesDir` whose name without extension is it. */
async function imageFile(imagesDir: string, stem: string): Promise<string> {
  const match = (await readdir(imagesDir)).find((name) => path.parse(name).name === stem);
  if (!match) throw new Error(`no image named ${stem} in ${imagesDir}`);
  return match;
}

async function hashOf(source: CorpusSource, options: CorpusOptions, images: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(`${LAYOUT_VERSION}\0${options.documents}\0${options.perDelo}\0`);
  const add = async (dir: string, prefix: string, files: readonly string[]) => {
    for (const file of files) hash.update(`${prefix}/${file}\0`).update(await readFile(path.join(dir, file))).update('\0');
  };
  const schemaDir = path.join(source.manifestsDir, SCHEMA_FOLDER);
  const documentDir = path.join(source.manifestsDir, source.document);
  await add(schemaDir, SCHEMA_FOLDER, await filesUnder(schemaDir));
  await add(documentDir, 'document', await filesUnder(documentDir));
  await add(source.imagesDir, 'images', images);
  return hash.digest('hex').slice(0, 16);
}

/** The delo a document falls in: its number and its hierarchy entry. */
export function deloOf(index: number, perDelo: number, opis: HierarchyUnit): HierarchyUnit {
  const number = 1000 + Math.floor(index / perDelo);
  const label: Record<string, string[]> = {};
  for (const [language, values] of Object.entries(opis.label)) {
    label[language] = values.map((v) => `${v}${language === 'ru' ? `. Д. ${number}` : `, d. ${number}`}`);
  }
  return { id: `${opis.id}-d${number}`, label };
}

/** The corpus for `options`, from the cache when one matches, else generated now. */
export async function corpusFor(source: CorpusSource, options: CorpusOptions): Promise<Corpus> {
  if (!Number.isInteger(options.documents) || options.documents < 1) throw new Error('the corpus needs at least one document');
  if (!Number.isInteger(options.perDelo) || options.perDelo < 1) throw new Error('a delo needs at least one document');
  const documentDir = path.join(source.manifestsDir, source.document);
  const record = JSON.parse(await readFile(path.join(documentDir, RECORD_FILE), 'utf8')) as SourceRecord;
  const leafImages = await Promise.all(record.leaves.map((leaf) => imageFile(source.imagesDir, leaf.image)));
  const key = `n${options.documents}-d${options.perDelo}-${await hashOf(source, options, leafImages)}`;
  const dir = path.join(options.root, key);
  const indexFile = path.join(dir, INDEX_FILE);

  if (!options.fresh) {
    try {
      const cached = JSON.parse(await readFile(indexFile, 'utf8')) as Omit<Corpus, 'dir' | 'manifestsDir' | 'imagesDir' | 'reused'>;
      return { ...cached, dir, manifestsDir: path.join(dir, 'manifests'), imagesDir: path.join(dir, 'images'), reused: true };
    } catch {
      // not cached yet
    }
  }

  await mkdir(options.root, { recursive: true });
  // Older corpora of the same size (other source data) are dead weight.
  for (const name of await readdir(options.root)) {
    if (name.startsWith(`n${options.documents}-d${options.perDelo}-`)) await rm(path.join(options.root, name), { recursive: true, force: true });
  }
  const staging = `${dir}.tmp-${process.pid}`;
  const manifestsDir = path.join(staging, 'manifests');
  const imagesDir = path.join(staging, 'images');
  await mkdir(imagesDir, { recursive: true });
  await cp(path.join(source.manifestsDir, SCHEMA_FOLDER), path.join(manifestsDir, SCHEMA_FOLDER), { recursive: true });

  const others = (await filesUnder(documentDir)).filter((f) => f !== RECORD_FILE);
  const subfolders = [...new Set(others.map((f) => path.dirname(f)).filter((d) => d !== '.'))];
  const [fond, opis] = record.hierarchy;
  if (!fond || !opis) throw new Error(`${source.document}/${RECORD_FILE}: the hierarchy needs a fond and an opis`);
  const width = String(options.documents - 1).length;
  const documents: string[] = [];
  const delos: string[] = [];
  for (let i = 0; i < options.documents; i++) {
    const delo = deloOf(i, options.perDelo, opis);
    if (delos.at(-1) !== delo.id) delos.push(delo.id);
    documents.push(`${delo.id}-c${String(i).padStart(width, '0')}`);
  }

  await eachLimited(documents, 32, async (id, i) => {
    const folder = path.join(manifestsDir, id);
    await mkdir(folder);
    for (const sub of subfolders) await mkdir(path.join(folder, sub), { recursive: true });
    for (const file of others) await link(path.join(documentDir, file), path.join(folder, file));
    const leaves = record.leaves.map((leaf, j) => {
      const image = `${id}-${leaf.id}`;
      return { leaf: { ...leaf, image }, file: `${image}${path.extname(leafImages[j]!)}`, original: leafImages[j]! };
    });
    for (const { file, original } of leaves) await link(path.join(source.imagesDir, original), path.join(imagesDir, file));
    const copy = { ...record, hierarchy: [fond, opis, deloOf(i, options.perDelo, opis)], leaves: leaves.map((l) => l.leaf) };
    await writeFile(path.join(folder, RECORD_FILE), `${JSON.stringify(copy, null, 2)}\n`);
  });

  const manifestsEntries = (await readdir(manifestsDir)).sort();
  const index = { documents, delos, leaves: documents.length * record.leaves.length, manifestsEntries };
  await writeFile(path.join(staging, INDEX_FILE), JSON.stringify(index));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return { ...index, dir, manifestsDir: path.join(dir, 'manifests'), imagesDir: path.join(dir, 'images'), reused: false };
}

/**
 * Removes what a previous run wrote directly into the corpus's manifests folder (a catalog,
 * say), so each run starts from the records alone. Returns the names removed.
 */
export async function resetCorpus(corpus: Corpus): Promise<string[]> {
  const generated = new Set(corpus.manifestsEntries);
  const extra = (await readdir(corpus.manifestsDir)).filter((name) => !generated.has(name));
  for (const name of extra) await rm(path.join(corpus.manifestsDir, name), { recursive: true, force: true });
  return extra;
}

/** Whether `file` is a hard link of `original` (same inode). */
export async function sameFile(file: string, original: string): Promise<boolean> {
  const [a, b] = await Promise.all([stat(file), stat(original)]);
  return a.ino === b.ino && a.dev === b.dev;
}
