import type { ContentResource, IIIFExternalWebResource, InternationalString, ImageService2, ImageService3 } from '@iiif/presentation-3';
import { advertisedGrid, level0ProfileUri2, type InfoConfig } from '../image/info.js';
import { fitToLimits } from '../image/plan.js';
import { imageService2, imageService3 } from './ids.js';
import type { Size } from './geometry.js';

/** What the manifest needs to know about one page image. */
export interface PageImage {
  /** IIIF image identifier. */
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/**
 * The painting body. Its ImageService2 entry keeps the 2.1 `@id`/`@type` keys, as Presentation
 * 3.0 §5.4 says, which the library's `Service` union cannot express.
 */
export type ImageBody = Omit<IIIFExternalWebResource, 'service'> & {
  service: [ImageService3, ImageService2];
};

/**
 * A linked resource (`homepage`, `rendering`, `seeAlso`, `provider.homepage`). The library's
 * `ContentResource` lacks `label` and `profile`, which Presentation 3.0 §3.3 requires or allows there.
 */
export interface LinkedResource {
  id: string;
  type: 'Text' | 'Dataset' | 'Image';
  format: string;
  label: InternationalString;
  profile?: string;
  language?: string[];
}

/** Thumbnails are meant to be about this long: big enough for a filmstrip, small to load. */
const thumbnailTarget = 256;

/**
 * The thumbnail size: one of the `sizes` info.json advertises (so the image service serves it
 * from its store), the smallest whose longer side reaches the target, else the largest; when
 * the limits leave no size advertised, what `max` gives.
 */
export function thumbnailSize(image: Size, config: InfoConfig): Size {
  const all = advertisedGrid(image, config).sizes;
  return (
    all.find((s) => Math.max(s.width, s.height) >= thumbnailTarget) ??
    all.at(-1) ??
    fitToLimits(image.width, image.height, config.limits, false)
  );
}

/** The Image API 3.0 and 2.1 services of one image, with info.json's `sizes` so viewers' thumbnails work. */
export function imageServices(base: string, image: PageImage, config: InfoConfig): [ImageService3, ImageService2] {
  const advertised = advertisedGrid(image, config).sizes;
  const level0 = config.compliance === 'level0';
  return [
    { id: imageService3(base, image.id), type: 'ImageService3', profile: level0 ? 'level0' : 'level2', sizes: advertised },
    {
      '@id': imageService2(base, image.id),
      '@type': 'ImageService2',
      profile: level0 ? level0ProfileUri2 : 'http://iiif.io/api/image/2/level2.json',
      sizes: advertised.map((s) => ({ width: s.width, height: s.height })),
    },
  ];
}

/** The full image, as the body of the painting annotation. */
export function imageBody(base: string, image: PageImage, config: InfoConfig): ImageBody {
  return {
    id: `${imageService3(base, image.id)}/full/max/0/default.jpg`,
    type: 'Image',
    format: 'image/jpeg',
    width: image.width,
    height: image.height,
    service: imageServices(base, image, config),
  };
}

/** A thumbnail at a cached size (Image API 3.0 canonical `w,h`). */
export function thumbnail(base: string, image: PageImage, config: InfoConfig): ContentResource {
  const size = thumbnailSize(image, config);
  return {
    id: `${imageService3(base, image.id)}/full/${size.width},${size.height}/0/default.jpg`,
    type: 'Image',
    format: 'image/jpeg',
    width: size.width,
    height: size.height,
    service: [{ id: imageService3(base, image.id), type: 'ImageService3', profile: config.compliance === 'level0' ? 'level0' : 'level2' }],
  };
}
