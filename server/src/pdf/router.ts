import { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { asDocumentSet, type DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotFoundError } from '../errors.js';
import { answeredNotModified } from '../http/encoded-body.js';
import { cacheControl } from '../http/representation.js';
import type { ImageBackend } from '../image/types.js';
import { PdfFiles } from './pdf-files.js';

export interface PdfRouterOptions {
  readonly config: Pick<Config, 'cacheDir' | 'limits'> & Partial<Pick<Config, 'pdfCacheBytes'>>;
  readonly documents: DocumentSet | readonly ArchivalDocument[];
  readonly images: Pick<ImageBackend, 'source' | 'image'>;
  readonly logger: Logger;
  /** The PDFs behind the routes; made from the other options when not given. */
  readonly files?: PdfFiles;
}

/** A download's file name, kept to characters every file system and header accepts. */
const fileName = (name: string) => `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;

/**
 * `/{doc}/files/{doc}.pdf` and `/{doc}/files/{leaf}.pdf` (mount at `/iiif/presentation`, as
 * presentation/ids.ts names them): the searchable PDFs, with a strong ETag, 304 and the
 * presentation files' caching. Every other file is left to the presentation router.
 */
export function pdfRouter(options: PdfRouterOptions): Router {
  const files =
    options.files ??
    new PdfFiles({
      images: options.images,
      limits: options.config.limits,
      cacheDir: options.config.cacheDir,
      logger: options.logger,
      ...(options.config.pdfCacheBytes !== undefined && { memoryBytes: options.config.pdfCacheBytes }),
    });
  const documents = asDocumentSet(options.documents);
  const router = Router();

  router.get('/:document/files/:file', async (req, res, next) => {
    const name = /^(.+)\.pdf$/.exec(req.params.file)?.[1];
    if (name === undefined) {
      next();
      return;
    }
    const document = await documents.load(req.params.document);
    if (!document) throw new NotFoundError(`No document ${req.params.document}`);
    const leaf = name === document.id ? undefined : document.leaves.find((l) => l.id === name);
    if (name !== document.id && !leaf) throw new NotFoundError(`No leaf ${name} in ${document.id}: its PDFs are ${document.id}.pdf and one per leaf`);
    const pdf = await files.get(document, leaf);
    res.setHeader('Cache-Control', cacheControl);
    if (answeredNotModified(req, res, pdf.etag)) return;
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${fileName(name)}"`);
    res.setHeader('ETag', pdf.etag);
    res.setHeader('Content-Length', pdf.body.length);
    res.end(pdf.body);
  });
  return router;
}
