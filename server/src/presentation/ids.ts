/**
 * The URL of every resource we publish, in one place: the builders use these to mint ids and
 * the router to answer them, so an id and its route cannot drift apart.
 * `base` is the public base URL (no trailing slash) from `baseUrl(req, config)`.
 */

/** The two annotation layers of a document (recipe 0309: one AnnotationCollection each). */
export type Layer = 'transcription' | 'translation';
export const layers: readonly Layer[] = ['transcription', 'translation'];

export type PresentationVersion = 2 | 3;

const seg = encodeURIComponent;

/** Image API service ids, as the image router answers them. */
export const imageService3 = (base: string, image: string) => `${base}/iiif/3/${seg(image)}`;
export const imageService2 = (base: string, image: string) => `${base}/iiif/2/${seg(image)}`;

/**
 * A document's HTML page, served by the viewer: `/documents/{doc}`, or the site's root page
 * `/` (without a document: while a single document is published, `/` is its page).
 */
export const documentPage = (base: string, documentId?: string) =>
  documentId === undefined ? `${base}/` : `${base}/documents/${seg(documentId)}`;

/** The page of one of `published` documents: its own, or `/` while it is the only one. */
export const pageOfDocument = (base: string, documentId: string, published: number) =>
  published > 1 ? documentPage(base, documentId) : documentPage(base);

/** The embeddable viewer of a document (`/embed` for the site's root page). */
export const embedPage = (base: string, documentId?: string) =>
  documentId === undefined ? `${base}/embed` : `${base}/embed/${seg(documentId)}`;

/** The edition as an agent (`provider`): a hash URI on its page, since an agent is not a web page. */
export const providerId = (base: string) => `${documentPage(base)}#provider`;

export const presentationRoot = (base: string, version: PresentationVersion) =>
  `${base}/iiif/presentation/${version}`;

export const collectionId = (base: string, version: PresentationVersion, unit: string) =>
  `${presentationRoot(base, version)}/collection/${seg(unit)}`;

/** Ids of the resources inside one document, for one Presentation version. */
export function documentIds(base: string, version: PresentationVersion, documentId: string) {
  const root = `${presentationRoot(base, version)}/${seg(documentId)}`;
  return {
    root,
    manifest: `${root}/manifest`,
    canvas: (leaf: string) => `${root}/canvas/${seg(leaf)}`,
    /** 3.0: the painting page and its annotation; 2.1: the image annotation. */
    paintingPage: (leaf: string) => `${root}/canvas/${seg(leaf)}/painting`,
    painting: (leaf: string) => `${root}/canvas/${seg(leaf)}/painting/image`,
    /** 2.1 only: the single sequence. */
    sequence: `${root}/sequence/normal`,
    range: (section: string) => `${root}/range/${seg(section)}`,
    /** AnnotationCollection (3.0) or Layer (2.1) of one layer across the document. */
    layer: (layer: Layer) => `${root}/annotations/${layer}`,
    /** AnnotationPage (3.0) or AnnotationList (2.1) of one layer on one leaf. */
    page: (layer: Layer, leaf: string) => `${root}/annotations/${layer}/${seg(leaf)}`,
    annotation: (layer: Layer, leaf: string, annotation: string) =>
      `${root}/annotations/${layer}/${seg(leaf)}/${seg(annotation)}`,
  };
}

/** Version-independent files: the ALTO/text sources and the whole-document plain texts. */
export function fileIds(base: string, documentId: string) {
  const root = `${base}/iiif/presentation/${seg(documentId)}`;
  return {
    /** A data file of the document folder (ALTO, plain-text transcription, translation). */
    file: (name: string) => `${root}/files/${seg(name)}`,
    /** The whole document's text in one layer, as text/plain. */
    text: (layer: Layer) => `${root}/text/${layer}.txt`,
    /** A searchable PDF: the whole document (`name` = its id) or one leaf (`name` = the leaf's id). */
    pdf: (name: string) => `${root}/files/${seg(name)}.pdf`,
  };
}

/** The fragment for a region of a canvas (Media Fragments `xywh=`). */
export const xywh = (canvas: string, box: { x: number; y: number; w: number; h: number }) =>
  `${canvas}#xywh=${box.x},${box.y},${box.w},${box.h}`;
