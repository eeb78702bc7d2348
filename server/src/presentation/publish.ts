import type { ArchivalDocument } from '../document/model.js';
import { publishedFormat } from '../document/transcription-format.js';
import { EncodedBody } from '../http/encoded-body.js';
import { strongEtag } from '../image/validators.js';
import { annotationContext, buildLayers, collectionDocument, presentation3Context } from './build-annotations.js';
import type { BuildInput } from './build-input.js';
import { buildManifest } from './build-manifest.js';
import { allRanges, buildStructures } from './build-structures.js';
import { buildPresentation2 } from './build-v2.js';
import { documentIds, fileIds, layers, type Layer } from './ids.js';
import { linesOf } from './leaf-regions.js';
import type { SchemaName } from './validate.js';

/** One resource ready to serve: its body is built once per (base URL, data, images). */
export interface Published {
  readonly contentType: string;
  /**
   * Bytes, so the media type goes out exactly as given (JSON-LD is UTF-8 by definition), with
   * their compressed forms made once.
   */
  readonly body: EncodedBody;
  /** Strong validator: a hash of the body, so it changes exactly when the bytes do. */
  readonly etag: string;
  /** The schema it must satisfy; null for plain text. */
  readonly schema: SchemaName | null;
  /** The resource before serialisation, for validation (dropped once cached). */
  readonly json: unknown;
}

export const profileContentType = (version: 2 | 3) =>
  `application/ld+json;profile="http://iiif.io/api/presentation/${version}/context.json"`;

export function jsonResource(version: 2 | 3, schema: SchemaName, json: unknown): Published {
  const body = Buffer.from(JSON.stringify(json));
  return { contentType: profileContentType(version), body: new EncodedBody(body), etag: strongEtag([body]), schema, json };
}

function rawResource(contentType: string, body: Buffer): Published {
  return { contentType, body: new EncodedBody(body), etag: strongEtag([body]), schema: null, json: null };
}

const textResource = (text: string): Published => rawResource('text/plain; charset=utf-8', Buffer.from(text));

/** The data files a leaf links to, with their media types: the transcription's is the one its format is published with. */
const linkedFiles = (document: ArchivalDocument): [name: string, type: string][] =>
  document.leaves.flatMap((leaf) => [
    [leaf.transcription.file, `${publishedFormat(leaf.transcription).mediaType}; charset=utf-8`],
    // The record schema admits only JSON translations.
    ...(leaf.translation ? [[leaf.translation.file, 'application/json; charset=utf-8'] as [string, string]] : []),
  ]);

/**
 * One per loaded file, whatever the base URL: its bytes do not depend on it, so the hash and
 * the compressed forms are made once per process.
 */
const fileResources = new WeakMap<Buffer, Published>();

/** A data file of the document exactly as loaded, so it always matches the resources built from it. */
function fileResource(document: ArchivalDocument, name: string, type: string): Published {
  const bytes = document.files.get(name);
  if (!bytes) throw new Error(`${document.id}: ${name} was not loaded with the document`);
  let resource = fileResources.get(bytes);
  if (!resource) {
    resource = rawResource(type, bytes);
    fileResources.set(bytes, resource);
  }
  return resource;
}


/**
 * The whole document as plain text in one layer, leaf after leaf. The bracketed leaf labels are
 * editorial, not part of the document's text.
 */
export function plainText(document: ArchivalDocument, layer: Layer): string {
  const parts = document.leaves.flatMap((leaf) => {
    const label = layer === 'transcription' ? leaf.label.ru?.[0] : leaf.label.en?.[0];
    const heading = `[${label ?? leaf.id}]`;
    if (layer === 'transcription') {
      const blocks = leaf.transcription.blocks.map((b) => b.lines.map((l) => l.text).join('\n'));
      return linesOf(leaf).length > 0 ? [heading, ...blocks] : [];
    }
    const paragraphs = leaf.translation?.paragraphs.map((p) => p.text) ?? [];
    return paragraphs.length > 0 ? [heading, ...paragraphs] : [];
  });
  return `${parts.join('\n\n')}\n`;
}

/**
 * Every resource of one document for one base URL, keyed by its id (an absolute URL): both
 * manifests and everything inside them that has an id of ours, each served on its own.
 */
export function publishDocument(input: BuildInput): Map<string, Published> {
  const out = new Map<string, Published>();
  const ids = documentIds(input.base, 3, input.document.id);
  const layerPages = buildLayers(input);
  const structures = buildStructures(input);
  const manifest = buildManifest(input, layerPages, structures);
  out.set(manifest.id, jsonResource(3, 'manifest3', manifest));

  const partOf = [{ id: manifest.id, type: 'Manifest' }];
  for (const canvas of manifest.items) {
    out.set(canvas.id, jsonResource(3, 'canvas3', { '@context': presentation3Context, ...canvas, partOf }));
    for (const page of canvas.items) {
      out.set(page.id, jsonResource(3, 'paintingPage3', { '@context': presentation3Context, ...page }));
      for (const annotation of page.items) {
        out.set(annotation.id, jsonResource(3, 'paintingAnnotation3', { '@context': presentation3Context, ...annotation }));
      }
    }
  }
  for (const { collection, pages } of layerPages) {
    if (pages.size === 0) continue;
    out.set(collection.id, jsonResource(3, 'annotationCollection3', collectionDocument(collection)));
    for (const page of pages.values()) {
      out.set(page.id, jsonResource(3, 'annotationPage3', { '@context': annotationContext, ...page }));
      for (const annotation of page.items ?? []) {
        out.set(annotation.id, jsonResource(3, 'annotation3', { '@context': annotationContext, ...annotation }));
      }
    }
  }
  for (const range of allRanges(structures)) {
    out.set(range.id, jsonResource(3, 'range3', { '@context': presentation3Context, ...range }));
  }

  const v2 = buildPresentation2(input);
  out.set(v2.manifest['@id'], jsonResource(2, 'manifest2', v2.manifest));
  for (const [id, resource] of v2.resources) out.set(id, jsonResource(2, 'resource2', resource));

  const files = fileIds(input.base, input.document.id);
  for (const layer of layers) {
    out.set(files.text(layer), textResource(plainText(input.document, layer)));
  }
  // The files the leaves link to (transcriptions, translations): these and nothing else are served.
  for (const [name, type] of linkedFiles(input.document)) out.set(files.file(name), fileResource(input.document, name, type));
  if (!out.has(ids.manifest)) throw new Error('manifest missing from its own publication');
  return out;
}
