/**
 * The contract between the IIIF protocol layer (parsing, planning, info.json, routes) and
 * the pixel layer (sources, ingest, tile store, sharp rendering).
 */

export type Quality = 'default' | 'color' | 'gray' | 'bitonal';
export type Format = 'jpg' | 'png' | 'webp' | 'tif' | 'gif' | 'jp2' | 'pdf';

/** A rectangle in full-resolution source pixels. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A fully resolved image request (Image API 3.0 §4.6 order: region, size, rotation, quality, format). */
export interface ImagePlan {
  readonly region: PixelBox;
  /** Output size before rotation, in pixels. */
  readonly width: number;
  readonly height: number;
  /** Mirror horizontally before rotating (`!n`). */
  readonly mirror: boolean;
  /** Clockwise degrees in [0, 360). */
  readonly rotation: number;
  readonly quality: Quality;
  readonly format: Format;
}

/** What the protocol layer needs to know about one image. */
export interface SourceInfo {
  /** The IIIF identifier: the source file's stem. */
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Changes whenever the source's content changes; part of every ETag and cache key. */
  readonly key: string;
  readonly modified: Date;
  /** What the service knows of the file, for a caller to keep beside what it makes of the image. */
  readonly record?: SourceRecord;
}

/**
 * A source file's facts as the pixel layer records them: its name, size and mtime, the hash of
 * its bytes and its header. A caller that keeps one beside what it made from the image (a
 * kept Presentation build) hands it back when it next asks (`known`): while the file's size
 * and mtime still match, the service takes its word and reads nothing but the file's stat.
 */
export interface SourceRecord {
  readonly file: string;
  readonly bytes: number;
  readonly mtimeMs: number;
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
}

export interface SourceOptions {
  /** The caller is about to ask for pixels (info.json, an image request): the tiled derivative is opened now. */
  readonly pixels?: boolean;
  /**
   * A record of the image the caller kept, asked for only when the service has not looked at
   * the image lately; it may resolve to undefined, or to a record of an older file.
   */
  readonly known?: () => Promise<SourceRecord | undefined>;
  /**
   * The oldest look at the file the caller takes, in ms (by default the service's own period):
   * the Presentation builds take the documents' recheck period, so that a page image is held
   * to the same rule as the data it is published with. Whatever the age taken, a look made
   * from half the service's period on is made again behind the answer.
   */
  readonly maxAgeMs?: number;
}

/**
 * What a self-describing format (PDF) says about the image besides its pixels; it comes from
 * the protocol layer (the canonical URL) and the documents (the title).
 */
export interface ImageDescription {
  readonly title: string;
  /** The image's canonical request URL (3.0 §4.7); empty when unknown. */
  readonly canonicalUrl: string;
}

export interface RenderedImage {
  readonly body: Buffer;
  /** Where it came from, for logs and benchmarks. */
  readonly origin: 'memory' | 'store' | 'render';
}

/** The pixel layer, as the routes see it. */
export interface ImageBackend {
  /** Throws NotFoundError for an unknown or invalid identifier. */
  source(id: string, options?: SourceOptions): Promise<SourceInfo>;
  /**
   * Pixels for a plan that the protocol layer has already validated against the limits;
   * `description` is written into formats that carry metadata (PDF), else ignored.
   */
  image(source: SourceInfo, plan: ImagePlan, description?: ImageDescription): Promise<RenderedImage>;
  /** Every identifier currently available, sorted. */
  list(): Promise<readonly SourceInfo[]>;
}
