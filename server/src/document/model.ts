/**
 * The archival document as the rest of the product sees it: loaded from the record,
 * the transcription (ALTO, PAGE XML, hOCR or plain text) and the aligned translation in `manifests/<id>/`.
 * Manifests, annotation layers, search and the viewer are all generated from this model;
 * nothing downstream reads a generator-specific file.
 */

/** A IIIF language map: BCP 47 tag, or "none", to values. */
export type LanguageMap = Readonly<Record<string, readonly string[]>>;

/** A rectangle in source-image pixels (ALTO HPOS/VPOS/WIDTH/HEIGHT, the bounding box of a PAGE polygon, an hOCR bbox). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Word {
  /** ALTO String ID, PAGE Word id, hOCR ocrx_word id. */
  readonly id: string;
  readonly text: string;
  readonly box: Box;
}

export interface TextLine {
  /** ALTO TextLine ID, PAGE TextLine id, hOCR ocr_line id (or a generated id for plain text). */
  readonly id: string;
  /** The line's words joined by single spaces; a word broken by a hyphen at the line end keeps it. */
  readonly text: string;
  /** Null when the source has no geometry (plain text): annotations then target the page. */
  readonly box: Box | null;
  /**
   * Empty when the source has no word level (plain text; a PAGE or hOCR line transcribed as a
   * whole): `text` then holds the line's words.
   */
  readonly words: readonly Word[];
}

/** A paragraph of the Russian text on one leaf (ALTO TextBlock, PAGE TextRegion, hOCR ocr_par). */
export interface TextBlock {
  readonly id: string;
  readonly box: Box | null;
  readonly lines: readonly TextLine[];
}

/** The kinds of transcription file: ALTO, PAGE XML and hOCR have geometry, plain text has none. */
export type TranscriptionFormat = 'alto' | 'page' | 'hocr' | 'text';

export interface Transcription {
  /** BCP 47 language of the text, "ru" for this cable. */
  readonly language: string;
  /** Where it came from. */
  readonly format: TranscriptionFormat;
  /** The schema version the file declares, when its format has several (PAGE: its namespace URI). */
  readonly profile?: string;
  /** File name inside the document folder (served as the transcription's own file). */
  readonly file: string;
  /** The page size the geometry refers to (ALTO Page WIDTH/HEIGHT, PAGE imageWidth/imageHeight, hOCR ocr_page bbox); absent for plain text. */
  readonly page?: { readonly width: number; readonly height: number };
  readonly blocks: readonly TextBlock[];
}

/** One paragraph (or the part of one on this leaf) of the English translation. */
export interface TranslationParagraph {
  readonly id: string;
  readonly text: string;
  /** Ids of the TextBlocks and/or TextLines on the same leaf that this paragraph translates. */
  readonly targets: readonly string[];
}

export interface Translation {
  readonly language: string;
  readonly file: string;
  readonly paragraphs: readonly TranslationParagraph[];
}

export interface Leaf {
  /** Stable slug used in URLs, e.g. "l43". */
  readonly id: string;
  /** The archival folio number (43, 44, 45). */
  readonly folio: number;
  /** e.g. { ru: ["л. 43"], en: ["f. 43"] }. */
  readonly label: LanguageMap;
  /** IIIF image identifier: the image file's stem in IMAGES_DIR. */
  readonly image: string;
  readonly transcription: Transcription;
  readonly translation: Translation | null;
}

/** An entry of the cable's table of contents, pointing at TextBlock/TextLine ids. */
export interface Section {
  readonly id: string;
  readonly label: LanguageMap;
  readonly targets: readonly string[];
  readonly items: readonly Section[];
}

/** A labelled value shown as metadata, e.g. an element of the cable's apparatus. */
export interface MetadataEntry {
  readonly label: LanguageMap;
  readonly value: LanguageMap;
}

/** A level of the archival hierarchy: fond, opis or delo. */
export interface ArchivalUnit {
  /** URL slug, e.g. "rgaspi-f558". */
  readonly id: string;
  readonly label: LanguageMap;
}

export interface DocumentRecord {
  readonly title: LanguageMap;
  readonly summary: LanguageMap;
  /** ISO 8601 date of the document, e.g. "1951-07-13". */
  readonly date: string;
  /** Archival reference: { ru: «РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.», en: "RGASPI, f. 558, op. 11, d. 340, ll. 43–45" }. */
  readonly reference: { readonly ru: string; readonly en: string };
  /** fond → opis → delo, outermost first, for IIIF collections. */
  readonly hierarchy: readonly ArchivalUnit[];
  readonly repository: { readonly label: LanguageMap; readonly homepage?: string };
  readonly creator: LanguageMap;
  readonly recipient: LanguageMap;
  /** The kind of document as citations name it, e.g. { en: ["cable"], ru: ["шифртелеграмма"] }; absent when the record does not say. */
  readonly genre?: LanguageMap;
  readonly originalLanguage: LanguageMap;
  readonly translator: LanguageMap;
  /** The published source this text was taken from. */
  readonly source: {
    readonly label: LanguageMap;
    readonly url: string;
    readonly recordId: string;
    /** The citation exactly as the source gives it. */
    readonly citation: string;
  };
  readonly credits: LanguageMap;
  /** The cable's apparatus (number, times, copies, stamp, verification); English only in the source. */
  readonly apparatus: readonly MetadataEntry[];
  /** A single rightsstatements.org or creativecommons.org URI, and why it was chosen. */
  readonly rights: { readonly uri: string; readonly reason: string };
  /** Says that the images are reconstructed facsimiles, not scans, and what they show. */
  readonly facsimileNotice: LanguageMap;
  /** Attribution shown wherever the document is shown (IIIF requiredStatement). */
  readonly attribution: LanguageMap;
}

export interface ArchivalDocument {
  /** URL slug, e.g. "rgaspi-f558-op11-d340-l43-45". */
  readonly id: string;
  /** Absolute path of the document's folder. */
  readonly dir: string;
  readonly record: DocumentRecord;
  readonly leaves: readonly Leaf[];
  readonly contents: readonly Section[];
  /** Hash of every data file the document was loaded from: changes exactly when the data does. */
  readonly version: string;
  /** The newest modification time of those files: when the data last changed (Change Discovery, sitemap). */
  readonly modified: Date;
  /**
   * The bytes of every data file it was loaded from (record, transcriptions, translations), by
   * file name: the files its resources link to are served from these, so they always match
   * the rest of the model, whatever happens to the folder after loading.
   */
  readonly files: ReadonlyMap<string, Buffer>;
}
