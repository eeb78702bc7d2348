import path from 'node:path';
import sharp from 'sharp';
import { projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import type { BuildInput } from '../../src/presentation/build-input.js';
import type { PageImage } from '../../src/presentation/image-resources.js';

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
  for (const leaf of document.leaves) {
    const file = path.join(projectRoot, 'images', `${leaf.image}.jpg`);
    const { width, height } = await sharp(file).metadata();
    out.set(leaf.id, { id: leaf.image, width: width!, height: height! });
  }
  return out;
}

export async function realInput(overrides: Partial<BuildInput> = {}): Promise<BuildInput> {
  const document = await realDocument();
  return { base, document, images: await realImages(document), tileSize: 512, ...overrides };
}
