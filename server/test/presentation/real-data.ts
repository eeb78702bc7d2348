import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import type { BuildInput } from '../../src/presentation/build-input.js';
import type { PageImage } from '../../src/presentation/image-resources.js';
import { imageConfig } from './fixture-document.js';

export const documentId = 'rgaspi-f558-op11-d340-l43-45';
export const base = 'https://iiif.example.org/cable';

let loaded: Promise<ArchivalDocument[]> | undefined;

/** The committed documents, loaded once per test file. */
export function realDocuments(): Promise<ArchivalDocument[]> {
  loaded ??= loadDocuments(path.join(projectRoot, 'manifests'));
  return loaded;
}

export async function realDocument(): Promise<ArchivalDocument> {
  const found = (await realDocuments()).find((d) => d.id === documentId);
  if (!found) throw new Error(`${documentId} not loaded`);
  return found;
}

/** The committed page images' real sizes, read from the files. */
export async function realImages(document: ArchivalDocument): Promise<Map<string, PageImage>> {
  const out = new Map<string, PageImage>();
  const files = await readdir(path.join(projectRoot, 'images'));
  for (const leaf of document.leaves) {
    // The identifier is the file's stem, whatever its format.
    const name = files.find((f) => path.parse(f).name === leaf.image);
    if (!name) throw new Error(`no image ${leaf.image}`);
    const { width, height } = await sharp(path.join(projectRoot, 'images', name)).metadata();
    out.set(leaf.id, { id: leaf.image, width: width!, height: height! });
  }
  return out;
}

export async function realInput(overrides: Partial<BuildInput> = {}): Promise<BuildInput> {
  const document = await realDocument();
  return { base, document, images: await realImages(document), imageConfig, ...overrides };
}
