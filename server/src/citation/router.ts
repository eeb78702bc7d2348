import { Router } from 'express';
import type { Config } from '../config.js';
import { asDocumentSet, type DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import { NotFoundError } from '../errors.js';
import { baseUrl } from '../http/base-url.js';
import { generatedBodies } from '../http/generated-body.js';
import { pageOfDocument } from '../presentation/ids.js';
import { sendRepresentation } from '../http/representation.js';
import { bibtex, bibtexMediaType } from './bibtex.js';
import { cslJson, cslMediaType } from './csl.js';
import { type CitationFacts, citationFacts } from './facts.js';
import { type CitationFormat, isCitationFormat } from './ids.js';
import { ris, risMediaType } from './ris.js';

export interface CitationRouterOptions {
  readonly config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>;
  readonly documents: DocumentSet | readonly ArchivalDocument[];
}

const formats: Readonly<Record<CitationFormat, { mediaType: string; render: (facts: CitationFacts) => string }>> = {
  json: { mediaType: cslMediaType, render: cslJson },
  bib: { mediaType: bibtexMediaType, render: bibtex },
  ris: { mediaType: risMediaType, render: ris },
};

/** A download's file name: the document's id, kept to characters every file system and header accepts. */
const fileName = (documentId: string, format: CitationFormat) => `${documentId.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;

/**
 * `/documents/{doc}/cite.json|bib|ris`: the document's citation as CSL-JSON, BibTeX and RIS,
 * with content-keyed ETags and the presentation resources' caching. Anything else under
 * `/documents/{doc}/` is left to the routers after this one.
 */
export function citationRouter({ config, documents }: CitationRouterOptions): Router {
  const router = Router();
  const represent = generatedBodies();
  const set = asDocumentSet(documents);

  router.get('/documents/:document/:file', async (req, res, next) => {
    const format = /^cite\.([a-z]+)$/.exec(req.params.file)?.[1];
    if (format === undefined || !isCitationFormat(format)) {
      next();
      return;
    }
    const doc = await set.load(req.params.document);
    if (!doc) throw new NotFoundError(`No document ${req.params.document}`);
    const base = baseUrl(req, config);
    const { mediaType, render } = formats[format];
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(doc.id, format)}"`);
    await sendRepresentation(req, res, represent(mediaType, render(citationFacts(doc, pageOfDocument(base, doc.id, set.entries().length)))));
  });
  return router;
}
