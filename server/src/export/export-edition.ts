import type { Logger } from 'pino';
import { bibtex, bibtexMediaType } from '../citation/bibtex.js';
import { cslJson, cslMediaType } from '../citation/csl.js';
import { citationFacts } from '../citation/facts.js';
import { citationFormats, citationIds } from '../citation/ids.js';
import { ris, risMediaType } from '../citation/ris.js';
import type { Config } from '../config.js';
import type { ArchivalDocument } from '../document/model.js';
import { createImageBackend, type ImageService } from '../image/backend.js';
import { advertisedGrid, imageInfo2, imageInfo3, type InfoConfig } from '../image/info.js';
import { PIPELINE_VERSION } from '../image/sources.js';
import type { SourceInfo } from '../image/types.js';
import type { ApiVersion } from '../image/version.js';
import { PdfFiles } from '../pdf/pdf-files.js';
import { buildCollections } from '../presentation/build-collections.js';
import type { ManifestServiceProvider } from '../presentation/build-input.js';
import type { PageImage } from '../presentation/image-resources.js';
import { fileIds, imageService2, imageService3, pageOfDocument } from '../presentation/ids.js';
import { assertPublicationValid } from '../presentation/publications.js';
import { jsonResource, publishDocument, type Published } from '../presentation/publish.js';
import { searchManifestServices } from '../search/services.js';
import { browseThumbnail } from '../viewer/browse-page.js';
import { leafImage } from '../viewer/first-leaf.js';
import type { PageLanguage } from '../viewer/language.js';
import { basePath, editionPath } from './layout.js';
import { level0Files } from './level0-files.js';
import { contentKey, readState, Staging, type ExportState } from './staging.js';
import { viewerFiles } from './viewer-files.js';

export interface ExportOptions {
  /** The folder the edition is written to (replaced whole when done). */
  readonly outDir: string;
  /** The URL the edition will be served at; every id starts with it. No trailing slash. */
  readonly base: string;
  /** The base URL of a live service answering Content Search for these documents; null: no search. */
  readonly searchUrl: string | null;
  readonly config: Config;
  readonly documents: readonly ArchivalDocument[];
  /** The built viewer (viewer/dist). */
  readonly viewerDist: string;
  /** The language of the pages at the service's URLs (the other's are below `{lang}/`); default ru, as the service answers a browser that states none. */
  readonly lang?: PageLanguage;
  readonly logger: Logger;
  /** Called as images are written: done and total image files, and what is being worked on. */
  readonly onProgress?: (done: number, total: number, what: string) => void;
}

export interface ExportSummary {
  images: number;
  /** Images whose files were made anew; the others were taken over unchanged. */
  rendered: number;
  reused: number;
  /** Every file of the edition. */
  files: number;
  /** Bytes written anew (files taken over are not counted). */
  bytes: number;
  seconds: number;
}

/** The level-0 image service and everything built on it: what the static edition declares. */
const level0 = (config: Config): InfoConfig => ({ limits: config.limits, tileSize: config.tileSize, compliance: 'level0' });

/**
 * Writes the whole edition as static files: for every image a level-0 Image API 3.0 and 2.1
 * service (info.json, the tiles and sizes it advertises, `full/max`), the Presentation 3.0 and
 * 2.1 resources and collections, the text, ALTO, PDF and citation files, and the viewer pages
 * of every document (and the browse pages when there are several).
 * Everything is made by the code the service runs, with the edition's URL as base. Images whose
 * source and settings are unchanged since the last export are not rendered again.
 */
export async function exportEdition(options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const { base, config, documents, logger } = options;
  const previous = await readState(options.outDir);
  const images = createImageBackend({ ...config, ingestOnStart: false, cachePurgeUrl: null }, logger, { revalidateMs: 0 });
  const staging = await Staging.open(options.outDir);
  let bytes = 0;
  let files = 0;
  const write = async (url: string, mediaType: string, body: Buffer | string) => {
    await staging.write(editionPath(base, url, mediaType), body);
    files++;
    bytes += Buffer.byteLength(body);
  };
  try {
    const ingest = await images.ingestAll();
    if (ingest.failed > 0) throw new Error(`${ingest.failed} of ${ingest.images} images could not be read (see the log above)`);
    const sources = await images.list();
    const infoConfig = level0(config);
    const state: Record<string, ExportState['images'][string]> = {};
    const summary: ExportSummary = { images: sources.length, rendered: 0, reused: 0, files: 0, bytes: 0, seconds: 0 };

    const plans = new Map(sources.map((s) => [s.id, ([3, 2] as const).map((v) => [v, level0Files(v, s, infoConfig)] as const)]));
    const total = [...plans.values()].flat().reduce((n, [, list]) => n + list.length, 0);
    let done = 0;
    for (const source of sources) {
      const key = contentKey([source.key, PIPELINE_VERSION, config.tileSize, config.limits]);
      const byVersion = plans.get(source.id)!;
      const paths = byVersion.flatMap(([v, list]) => list.flatMap((f) => f.paths.map((p) => imagePath(base, v, source.id, p))));
      const count = byVersion.reduce((n, [, list]) => n + list.length, 0);
      if (previous?.images[source.id]?.key === key && (await keepAll(staging, paths))) {
        summary.reused++;
        files += paths.length;
      } else {
        summary.rendered++;
        for (const [version, list] of byVersion) {
          await writeImageFiles(images, source, list, async ([first, ...more], body) => {
            const rel = imagePath(base, version, source.id, first!);
            await staging.write(rel, body);
            for (const other of more) await staging.alias(imagePath(base, version, source.id, other), rel);
            files += 1 + more.length;
            bytes += body.length;
          });
        }
      }
      done += count;
      options.onProgress?.(done, total, source.id);
      state[source.id] = { key, files: paths };
      // info.json names the service by its URL, so it is written every time.
      await write(`${imageService3(base, source.id)}/info.json`, 'application/ld+json', JSON.stringify(imageInfo3(imageService3(base, source.id), source, infoConfig)));
      await write(`${imageService2(base, source.id)}/info.json`, 'application/json', JSON.stringify(imageInfo2(imageService2(base, source.id), source, infoConfig)));
    }

    const services: ManifestServiceProvider | undefined =
      options.searchUrl === null ? undefined : (document) => searchManifestServices(document, options.searchUrl!);
    const pdfs = new PdfFiles({ images, limits: config.limits, cacheDir: config.cacheDir, logger });
    for (const document of documents) {
      // Its own page when there are several (`documents/{doc}`), the root page when it is the only one.
      const homepage = pageOfDocument(base, document.id, documents.length);
      const resources = publishDocument({
        base,
        document,
        images: await pageImages(images, document),
        imageConfig: infoConfig,
        services,
        homepage,
      });
      assertPublicationValid(resources);
      for (const [id, r] of resources) await write(id, r.contentType, r.body.identity);

      const fileUrls = fileIds(base, document.id);
      await write(fileUrls.pdf(document.id), 'application/pdf', (await pdfs.get(document)).body);
      for (const leaf of document.leaves) await write(fileUrls.pdf(leaf.id), 'application/pdf', (await pdfs.get(document, leaf)).body);

      const facts = citationFacts(document, homepage);
      const urls = citationIds(base, document.id);
      const renders = { json: [cslMediaType, cslJson], bib: [bibtexMediaType, bibtex], ris: [risMediaType, ris] } as const;
      for (const format of citationFormats) await write(urls[format], renders[format][0], renders[format][1](facts));
    }

    const { v3, v2 } = buildCollections(
      base,
      documents.map((d) => ({ id: d.id, title: d.record.title, hierarchy: d.record.hierarchy })),
    );
    const collections = new Map<string, Published>();
    for (const c of v3.values()) collections.set(c.id, jsonResource(3, 'collection3', c));
    for (const c of v2.values()) collections.set(String(c['@id']), jsonResource(2, 'resource2', c));
    assertPublicationValid(collections);
    for (const [id, r] of collections) await write(id, r.contentType, r.body.identity);

    if (documents.length > 0) {
      const sizes = new Map(sources.map((s) => [s.id, advertisedGrid(s, infoConfig).sizes]));
      await viewerFiles({
        base,
        prefix: basePath(base),
        documents,
        distDir: options.viewerDist,
        lang: options.lang ?? 'ru',
        thumbnail: (image) => thumbnailUrl(base, image, sizes.get(image) ?? []),
        firstLeaf: (leaf, lang) => leafImage({ config: infoConfig, images }, base, leaf, lang),
        save: async (f) => {
          await staging.write(f.path, f.body);
          files++;
          bytes += Buffer.byteLength(f.body);
        },
      });
    }

    await staging.writeState({ format: 1, images: state });
    await staging.commit();
    return { ...summary, files, bytes, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    await staging.abandon();
    throw err;
  } finally {
    await images.close();
  }
}

/** The smallest advertised size that fills the browse page's thumbnail box, else `full/max`: a level-0 service has no other. */
function thumbnailUrl(base: string, image: string, sizes: readonly { width: number; height: number }[]): string {
  const fit = sizes.find((s) => s.width >= browseThumbnail.width || s.height >= browseThumbnail.height);
  return `${imageService3(base, image)}/full/${fit ? `${fit.width},${fit.height}` : 'max'}/0/default.jpg`;
}

/** Takes every file over from the previous edition; false when one is missing (then all are made anew). */
async function keepAll(staging: Staging, paths: readonly string[]): Promise<boolean> {
  for (const p of paths) if (!(await staging.keep(p))) return false;
  return true;
}

/** The edition path of one image file of a level-0 service. */
function imagePath(base: string, version: ApiVersion, id: string, rel: string): string {
  const service = version === 3 ? imageService3(base, id) : imageService2(base, id);
  return editionPath(base, `${service}/${rel}`, 'image/jpeg');
}

/** Renders (or reads from the tile store) every file of one service, a few at a time. */
async function writeImageFiles(
  images: ImageService,
  source: SourceInfo,
  list: ReturnType<typeof level0Files>,
  save: (paths: readonly string[], body: Buffer) => Promise<void>,
): Promise<void> {
  const batch = 8;
  for (let i = 0; i < list.length; i += batch) {
    const chunk = list.slice(i, i + batch);
    const bodies = await Promise.all(chunk.map((f) => images.image(source, f.plan)));
    for (let j = 0; j < chunk.length; j++) await save(chunk[j]!.paths, bodies[j]!.body);
  }
}

async function pageImages(images: ImageService, document: ArchivalDocument): Promise<Map<string, PageImage>> {
  const out = new Map<string, PageImage>();
  for (const leaf of document.leaves) {
    const s = await images.source(leaf.image);
    out.set(leaf.id, { id: s.id, width: s.width, height: s.height });
  }
  return out;
}
