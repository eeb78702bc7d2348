import type { Config } from '../config.js';
import { formats, qualities } from './quality-format.js';
import { scaleFactors, sizes } from './tile-grid.js';
import type { SourceInfo } from './types.js';
import type { ApiVersion } from './version.js';

export const context3 = 'http://iiif.io/api/image/3/context.json';
export const context2 = 'http://iiif.io/api/image/2/context.json';
export const protocol = 'http://iiif.io/api/image';
/** The compliance level documents, also sent as `Link: <…>;rel="profile"`. */
export const profileUri: Readonly<Record<ApiVersion, string>> = {
  3: 'http://iiif.io/api/image/3/level2.json',
  2: 'http://iiif.io/api/image/2/level2.json',
};

/**
 * Features beyond level 2 that the routes really provide (3.0 §5.7; each is exercised by
 * the HTTP conformance tests). Level-2 features are listed too, so a client never has to
 * fetch the profile document to learn them.
 */
const features3 = [
  'baseUriRedirect',
  'canonicalLinkHeader',
  'cors',
  'jsonldMediaType',
  'mirroring',
  'profileLinkHeader',
  'regionByPct',
  'regionByPx',
  'regionSquare',
  'rotationArbitrary',
  'rotationBy90s',
  'sizeByConfinedWh',
  'sizeByH',
  'sizeByPct',
  'sizeByW',
  'sizeByWh',
  'sizeUpscaling',
] as const;

/** The 2.1 names (§5.3): `sizeAboveFull` instead of `sizeUpscaling`, plus `sizeByDistortedWh`. */
const features2 = [
  ...features3.filter((f) => f !== 'sizeUpscaling'),
  'sizeAboveFull',
  'sizeByDistortedWh',
].sort();

type Limits = Config['limits'];
/**
 * How much of the Image API a service answers: `level2` is the live service; `level0` is a
 * static edition, where only the advertised `sizes` and `tiles` and `full/max` exist as files.
 */
export type Compliance = 'level0' | 'level2';
/** What the advertised grid depends on besides the image: manifests embed it too. */
export type InfoConfig = Pick<Config, 'limits' | 'tileSize'> & { readonly compliance?: Compliance };

export const level0ProfileUri2 = 'http://iiif.io/api/image/2/level0.json';

/**
 * The limits a level-0 service advertises: only those that make `full/max` smaller than the
 * image (3.0 §5.2), since a level-0 client asks for nothing else whole.
 */
function level0Limits(source: { width: number; height: number }, limits: Limits) {
  return withinLimits(source.width, source.height, limits)
    ? {}
    : { maxWidth: limits.maxWidth, maxHeight: limits.maxHeight, maxArea: limits.maxArea };
}

/** Sizes and tiles must lie within the advertised limits (3.0 §5.2). */
function withinLimits(width: number, height: number, limits: Limits): boolean {
  return width <= limits.maxWidth && height <= limits.maxHeight && width * height <= limits.maxArea;
}

/**
 * The `sizes` (smallest first) and `tiles` of an image, as info.json advertises them and as
 * manifests repeat them in their image services, so the two never disagree.
 */
export function advertisedGrid(image: { readonly width: number; readonly height: number }, config: InfoConfig) {
  const { width, height } = image;
  const t = config.tileSize;
  return {
    sizes: sizes(width, height, t).filter((s) => withinLimits(s.width, s.height, config.limits)),
    tiles: withinLimits(t, t, config.limits)
      ? [{ width: t, height: t, scaleFactors: scaleFactors(width, height, t) }]
      : [],
  };
}

/** The 3.0 image information document (§5); `id` is the service's base URI. */
export function imageInfo3(id: string, source: SourceInfo, config: InfoConfig) {
  const { maxWidth, maxHeight, maxArea } = config.limits;
  const { sizes, tiles } = advertisedGrid(source, config);
  if (config.compliance === 'level0') {
    return {
      '@context': context3,
      id,
      type: 'ImageService3',
      protocol,
      profile: 'level0',
      width: source.width,
      height: source.height,
      ...level0Limits(source, config.limits),
      sizes,
      tiles,
    };
  }
  return {
    '@context': context3,
    id,
    type: 'ImageService3',
    protocol,
    profile: 'level2',
    width: source.width,
    height: source.height,
    maxWidth,
    maxHeight,
    maxArea,
    sizes,
    tiles,
    extraQualities: qualities.filter((q) => q !== 'default'),
    extraFormats: formats.filter((f) => f !== 'jpg'),
    extraFeatures: [...features3],
  };
}

/** The 2.1 image information document (§5): `@id`, and the limits and extras in a profile object. */
export function imageInfo2(id: string, source: SourceInfo, config: InfoConfig) {
  const { maxWidth, maxHeight, maxArea } = config.limits;
  const { sizes, tiles } = advertisedGrid(source, config);
  const profile =
    config.compliance === 'level0'
      ? [level0ProfileUri2, { formats: ['jpg'], qualities: ['default'], ...level0Limits(source, config.limits) }]
      : [profileUri[2], { formats: [...formats], qualities: [...qualities], supports: features2, maxWidth, maxHeight, maxArea }];
  return { '@context': context2, '@id': id, protocol, width: source.width, height: source.height, sizes, tiles, profile };
}

/** The JSON-LD media type of each version's info.json, with its context as profile. */
export const jsonLdType: Readonly<Record<ApiVersion, string>> = {
  3: `application/ld+json;profile="${context3}"`,
  2: `application/ld+json;profile="${context2}"`,
};
