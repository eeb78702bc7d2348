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
  /**
   * Throws NotFoundError for an unknown or invalid identifier. `pixels`: the caller is about to
   * ask for pixels (info.json, an image request), so the tiled derivative is opened now.
   */
  source(id: string, options?: { readonly pixels?: boolean }): Promise<SourceInfo>;
  /**
   * Pixels for a plan that the protocol layer has already validated against the limits;
   * `description` is written into formats that carry metadata (PDF), else ignored.
   */
  image(source: SourceInfo, plan: ImagePlan, description?: ImageDescription): Promise<RenderedImage>;
  /** Every identifier currently available, sorted. */
  list(): Promise<readonly SourceInfo[]>;
}
