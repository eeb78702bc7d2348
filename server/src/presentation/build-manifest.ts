import type { InternationalString, Manifest, MetadataItem, Range } from '@iiif/presentation-3';
import type { DocumentRecord } from '../document/model.js';
import { presentation3Context, type LayerPages } from './build-annotations.js';
import { buildCanvas, type Canvas3 } from './build-canvas.js';
import { imageOf, type BuildInput } from './build-input.js';
import { collectionId, documentIds, documentPage, fileIds, providerId } from './ids.js';
import { thumbnail, type LinkedResource } from './image-resources.js';
import { labels } from './labels.js';
import { concat, escapeHtml, lang, longDate } from './language.js';

export type Manifest3 = Omit<
  Manifest,
  'items' | 'service' | 'rendering' | 'seeAlso' | 'homepage' | 'provider' | 'partOf'
> & {
  items: Canvas3[];
  partOf?: { id: string; type: 'Collection'; label: InternationalString }[];
  rendering?: LinkedResource[];
  seeAlso?: LinkedResource[];
  homepage?: LinkedResource[];
  provider?: { id: string; type: 'Agent'; label: InternationalString; homepage?: LinkedResource[] }[];
  service?: Record<string, unknown>[];
};

const entry = (label: InternationalString, value: InternationalString): MetadataItem => ({ label, value });

/** A link in a metadata value (IIIF allows `<a href>` there). */
const link = (url: string, text: string) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;

/** The archival description shown by every viewer, bilingual where the source is. */
export function metadata(record: DocumentRecord): MetadataItem[] {
  const source = record.source;
  const sourceValue = lang(
    Object.fromEntries(Object.entries(source.label).map(([language, values]) => [language, values.map((v) => link(source.url, v))])),
  );
  return [
    entry(labels.date, longDate(record.date)),
    // Both citation forms, whatever the reader's language: a shelfmark is cited as written.
    entry(labels.reference, { none: [record.reference.ru, record.reference.en] }),
    entry(labels.repository, lang(record.repository.label)),
    entry(labels.creator, lang(record.creator)),
    entry(labels.recipient, lang(record.recipient)),
    entry(labels.originalLanguage, lang(record.originalLanguage)),
    entry(labels.translator, lang(record.translator)),
    entry(labels.source, sourceValue),
    entry(labels.citation, { none: [source.citation] }),
    entry(labels.credits, lang(record.credits)),
    ...record.apparatus.map((a) => entry(lang(a.label), lang(a.value))),
    entry(labels.facsimile, lang(record.facsimileNotice)),
    // One element: a value is HTML only when it starts with `<` and ends with `>` (Presentation 3.0 §4.5).
    entry(labels.rights, { en: [`<span>${link(record.rights.uri, record.rights.uri)}: ${escapeHtml(record.rights.reason)}</span>`] }),
  ];
}

/** The Presentation 3.0 manifest of a document. */
export function buildManifest(input: BuildInput, layers: readonly LayerPages[], structures: Range[]): Manifest3 {
  const { base, document } = input;
  const { record } = document;
  const ids = documentIds(base, 3, document.id);
  const files = fileIds(base, document.id);
  const delo = record.hierarchy[record.hierarchy.length - 1];
  const first = document.leaves[0];
  const services = input.services?.(document, base).v3 ?? [];
  const homepage: LinkedResource = {
    id: input.homepage ?? documentPage(base),
    type: 'Text',
    format: 'text/html',
    language: ['ru', 'en'],
    label: labels.homepage,
  };
  return {
    '@context': presentation3Context,
    id: ids.manifest,
    type: 'Manifest',
    label: lang(record.title),
    // Wherever the images are described, say what they are.
    summary: concat(record.summary, record.facsimileNotice),
    metadata: metadata(record),
    requiredStatement: { label: labels.attribution, value: lang(record.attribution) },
    rights: record.rights.uri,
    navDate: `${record.date}T00:00:00Z`,
    // The agent is not its web page: it gets an id of its own (a hash URI on that page), and
    // the page is the one resource `homepage` describes, identically wherever it appears.
    provider: [{ id: providerId(base), type: 'Agent', label: labels.provider, homepage: [{ ...homepage, id: documentPage(base) }] }],
    homepage: [homepage],
    rendering: [
      {
        id: files.text('transcription'),
        type: 'Text',
        format: 'text/plain',
        language: [first?.transcription.language ?? 'ru'],
        label: labels.plainTranscription,
      },
      ...(document.leaves.some((l) => l.translation)
        ? [
            {
              id: files.text('translation'),
              type: 'Text' as const,
              format: 'text/plain',
              language: [document.leaves.find((l) => l.translation)?.translation?.language ?? 'en'],
              label: labels.plainTranslation,
            },
          ]
        : []),
      { id: files.pdf(document.id), type: 'Text', format: 'application/pdf', label: labels.pdf },
    ],
    ...(delo ? { partOf: [{ id: collectionId(base, 3, delo.id), type: 'Collection' as const, label: lang(delo.label) }] } : {}),
    ...(first ? { thumbnail: [thumbnail(base, imageOf(input, first.id), input.imageConfig)] } : {}),
    // Archival leaves are single, recto-only sheets, not openings of a book.
    behavior: ['individuals'],
    viewingDirection: 'left-to-right',
    ...(services.length > 0 ? { service: services.map((s) => ({ ...s })) } : {}),
    items: document.leaves.map((leaf) => buildCanvas(input, leaf, layers)),
    ...(structures.length > 0 ? { structures } : {}),
  };
}
