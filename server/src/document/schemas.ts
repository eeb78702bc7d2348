/**
 * The JSON Schemas of the document data files (`manifests/schema/*.schema.json`), compiled once
 * with ajv. They belong to this version of the code, so they are read from the project even
 * when MANIFESTS_DIR points at another data folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { projectRoot } from '../config.js';
import { DocumentDataError } from './document-error.js';
import type { DocumentRecord, LanguageMap, Section, TranscriptionFormat } from './model.js';

export const schemaDir = path.join(projectRoot, 'manifests', 'schema');

/** record.json as written: the DocumentRecord plus the table of contents and the leaves. */
export interface RecordFile extends DocumentRecord {
  /** The editor's pointer to record.schema.json; not part of the record. */
  readonly $schema?: string;
  readonly contents: readonly SectionEntry[];
  readonly leaves: readonly LeafEntry[];
}

/** A Section whose `items` may be left out. */
export interface SectionEntry extends Omit<Section, 'items'> {
  readonly items?: readonly SectionEntry[];
}

export interface LeafEntry {
  readonly id: string;
  readonly folio: number;
  readonly label: LanguageMap;
  readonly image: string;
  /** `format` may be left out: the file's extension and root element then tell (transcription-format.ts). */
  readonly transcription: { readonly file: string; readonly language: string; readonly format?: TranscriptionFormat };
  readonly translation?: string;
}

export interface TranslationFile {
  readonly language: string;
  readonly paragraphs: readonly { readonly id: string; readonly text: string; readonly targets: readonly string[] }[];
}

let compiled: { record: ValidateFunction<RecordFile>; translation: ValidateFunction<TranslationFile> } | undefined;

function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
    addFormatsModule.default(ajv);
    const load = (name: string): object => JSON.parse(readFileSync(path.join(schemaDir, name), 'utf8')) as object;
    compiled = {
      record: ajv.compile<RecordFile>(load('record.schema.json')),
      translation: ajv.compile<TranslationFile>(load('translation.schema.json')),
    };
  }
  return compiled;
}

/** Turns ajv's first error into the field it is about and a readable problem. */
function describe(error: ErrorObject): { field: string; problem: string } {
  const at = error.instancePath || '';
  if (error.keyword === 'required') {
    return { field: `${at}/${String(error.params.missingProperty)}`, problem: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    return { field: `${at}/${String(error.params.additionalProperty)}`, problem: 'is not allowed here' };
  }
  // Only language maps constrain property names.
  const name = error.propertyName ?? (error.keyword === 'propertyNames' ? String(error.params.propertyName) : undefined);
  if (name !== undefined) return { field: `${at}/${name}`, problem: 'is not a BCP 47 language tag or "none"' };
  // A pattern means nothing to whoever edits the record: say what the value must be instead.
  const described = (error.parentSchema as { description?: unknown } | undefined)?.description;
  if (error.keyword === 'pattern' && typeof described === 'string') return { field: at || '/', problem: `must be ${described}` };
  const allowed = error.keyword === 'enum' ? ` (${JSON.stringify(error.params.allowedValues)})` : '';
  return { field: at || '/', problem: `${error.message ?? 'is invalid'}${allowed}` };
}

function check<T>(validate: ValidateFunction<T>, data: unknown, file: string): T {
  if (validate(data)) return data;
  const first = validate.errors?.[0];
  const { field, problem } = first ? describe(first) : { field: '/', problem: 'is invalid' };
  throw new DocumentDataError(file, field, problem);
}

export const checkRecord = (data: unknown, file: string): RecordFile => check(validators().record, data, file);
export const checkTranslation = (data: unknown, file: string): TranslationFile =>
  check(validators().translation, data, file);
