/**
 * Loads the documents in MANIFESTS_DIR: each folder (other than `schema/`) holds a record.json,
 * per leaf a transcription (ALTO, PAGE XML, hOCR or plain text), and optionally an aligned
 * translation. Everything is checked here, whenever a document is loaded (by `npm run check`, or
 * by the service on its first request): a bad file is a DocumentDataError naming the file, the
 * field and the problem.
 */
import { createHash } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DocumentDataError } from './document-error.js';
import type { ArchivalDocument, Leaf, Section, TextBlock, Transcription, Translation } from './model.js';
import { parseAlto } from './parse-alto.js';
import { parseHocr } from './parse-hocr.js';
import { parsePageXml } from './parse-page-xml.js';
import { parsePlainText } from './parse-plain-text.js';
import { checkRecord, checkTranslation, type LeafEntry, type SectionEntry } from './schemas.js';
import { detectFormat } from './transcription-format.js';

export const RECORD_FILE = 'record.json';
const SCHEMA_FOLDER = 'schema';

interface Reader {
  /** The file's name as shown in errors: `<manifests folder>/<document>/<file>`. */
  display(file: string): string;
  text(file: string): Promise<string>;
}

function readerFor(dir: string): Reader & { files: Map<string, Buffer>; modified: () => Date } {
  const files = new Map<string, Buffer>();
  let newest = 0;
  const shown = path.join(path.basename(path.dirname(dir)), path.basename(dir));
  const display = (file: string) => `${shown}/${file}`;
  return {
    files,
    display,
    modified: () => new Date(newest),
    async text(file) {
      let content: Buffer;
      try {
        // The time is the one of the bytes read (one open file), even if the file is replaced meanwhile.
        const handle = await open(path.join(dir, file));
        try {
          content = await handle.readFile();
          newest = Math.max(newest, (await handle.stat()).mtimeMs);
        } finally {
          await handle.close();
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new DocumentDataError(display(file), '/', code === 'ENOENT' ? 'file not found' : `cannot be read (${code})`);
      }
      // The bytes as read are what is served; the text is parsed.
      files.set(file, content);
      return content.toString('utf8');
    },
  };
}

async function readJson(reader: Reader, file: string): Promise<unknown> {
  const text = await reader.text(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DocumentDataError(reader.display(file), '/', `is not valid JSON (${(err as Error).message})`);
  }
}

/** Reads a leaf's transcription in the format its record names, or else the one its file shows. */
async function loadTranscription(reader: Reader, leaf: LeafEntry): Promise<Transcription> {
  const { file, language } = leaf.transcription;
  const text = await reader.text(file);
  const shown = reader.display(file);
  const format = leaf.transcription.format ?? detectFormat(file, text);
  switch (format) {
    case 'text': {
      const blocks = parsePlainText(text, leaf.id);
      if (blocks.length === 0) throw new DocumentDataError(shown, '/', 'has no text');
      return { language, format, file, blocks };
    }
    case 'page': {
      const page = parsePageXml(text, shown);
      return { language, format, profile: page.namespace, file, page: { width: page.width, height: page.height }, blocks: page.blocks };
    }
    case 'hocr': {
      const page = parseHocr(text, shown);
      return { language, format, file, page: { width: page.width, height: page.height }, blocks: page.blocks };
    }
    case 'alto': {
      const page = parseAlto(text, shown, leaf.id);
      return { language, format, file, page: { width: page.width, height: page.height }, blocks: page.blocks };
    }
  }
}

function idsOf(blocks: readonly TextBlock[]): Set<string> {
  return new Set(blocks.flatMap((b) => [b.id, ...b.lines.map((l) => l.id)]));
}

async function loadTranslation(
  reader: Reader,
  file: string,
  leaf: LeafEntry,
  blocks: readonly TextBlock[],
  paragraphIds: Set<string>,
): Promise<Translation> {
  const shown = reader.display(file);
  const data = checkTranslation(await readJson(reader, file), shown);
  const known = idsOf(blocks);
  data.paragraphs.forEach((paragraph, i) => {
    if (paragraphIds.has(paragraph.id)) {
      throw new DocumentDataError(shown, `/paragraphs/${i}/id`, `"${paragraph.id}" is used twice in the document`);
    }
    paragraphIds.add(paragraph.id);
    paragraph.targets.forEach((target, j) => {
      if (!known.has(target)) {
        throw new DocumentDataError(
          shown,
          `/paragraphs/${i}/targets/${j}`,
          `"${target}" is not a TextBlock or TextLine id of ${leaf.transcription.file}`,
        );
      }
    });
  });
  return { language: data.language, file, paragraphs: data.paragraphs };
}

function checkSections(sections: readonly Section[], known: Set<string>, file: string, at: string, ids: Set<string>): void {
  sections.forEach((section, i) => {
    const here = `${at}/${i}`;
    if (ids.has(section.id)) throw new DocumentDataError(file, `${here}/id`, `"${section.id}" is used twice`);
    ids.add(section.id);
    section.targets.forEach((target, j) => {
      if (!known.has(target)) {
        throw new DocumentDataError(file, `${here}/targets/${j}`, `"${target}" is not a TextBlock or TextLine id of any leaf`);
      }
    });
    checkSections(section.items, known, file, `${here}/items`, ids);
  });
}

function unique(values: readonly (string | number)[], file: string, field: (i: number) => string): void {
  const seen = new Set<string | number>();
  values.forEach((v, i) => {
    if (seen.has(v)) throw new DocumentDataError(file, field(i), `"${v}" is used twice`);
    seen.add(v);
  });
}

/** Loads and checks one document folder. */
export async function loadDocument(dir: string): Promise<ArchivalDocument> {
  const reader = readerFor(path.resolve(dir));
  const recordShown = reader.display(RECORD_FILE);
  const data = checkRecord(await readJson(reader, RECORD_FILE), recordShown);
  const { contents: rawContents, leaves: entries, $schema: _schema, ...record } = data;
  unique(entries.map((l) => l.id), recordShown, (i) => `/leaves/${i}/id`);
  unique(entries.map((l) => l.image), recordShown, (i) => `/leaves/${i}/image`);
  unique(entries.map((l) => l.folio), recordShown, (i) => `/leaves/${i}/folio`);

  const allIds = new Set<string>();
  const paragraphIds = new Set<string>();
  const leaves: Leaf[] = [];
  for (const entry of entries) {
    const transcription = await loadTranscription(reader, entry);
    for (const id of idsOf(transcription.blocks)) {
      if (allIds.has(id)) {
        throw new DocumentDataError(reader.display(entry.transcription.file), '/', `id "${id}" is also used on another leaf`);
      }
      allIds.add(id);
    }
    const translation = entry.translation
      ? await loadTranslation(reader, entry.translation, entry, transcription.blocks, paragraphIds)
      : null;
    leaves.push({ id: entry.id, folio: entry.folio, label: entry.label, image: entry.image, transcription, translation });
  }
  const contents = withItems(rawContents);
  checkSections(contents, allIds, recordShown, '/contents', new Set());

  const hash = createHash('sha256');
  for (const [file, content] of [...reader.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${file}\0`).update(content).update('\0');
  }
  return {
    id: path.basename(path.resolve(dir)),
    dir: path.resolve(dir),
    record,
    leaves,
    contents,
    version: hash.digest('hex').slice(0, 20),
    modified: reader.modified(),
    files: reader.files,
  };
}

/** `items` may be left out of a record's sections; the model always has it. */
function withItems(sections: readonly SectionEntry[]): Section[] {
  return sections.map((s) => ({ ...s, items: withItems(s.items ?? []) }));
}

/** A name that may be a document folder (and a URL slug): not the schemas, not hidden, no separators. */
export function isDocumentFolderName(name: string): boolean {
  return name !== SCHEMA_FOLDER && !name.startsWith('.') && name !== '' && !/[/\\\0]/.test(name) && name.length <= 200;
}

/** The document folders of `manifestsDir`, sorted by name. */
export async function documentFolders(manifestsDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(manifestsDir, { withFileTypes: true });
  } catch (err) {
    throw new DocumentDataError(manifestsDir, '/', `cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  return entries
    .filter((e) => e.isDirectory() && isDocumentFolderName(e.name))
    .map((e) => e.name)
    .sort();
}

/** Loads every document folder in `manifestsDir`, sorted by id. */
export async function loadDocuments(manifestsDir: string): Promise<ArchivalDocument[]> {
  const documents: ArchivalDocument[] = [];
  for (const name of await documentFolders(manifestsDir)) documents.push(await loadDocument(path.join(manifestsDir, name)));
  return documents;
}
