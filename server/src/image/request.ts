import { parseQualityFormat } from './quality-format.js';
import { parseRegion, type RegionRequest } from './region.js';
import { parseRotation, type RotationRequest } from './rotation.js';
import { parseSize, type SizeRequest } from './size.js';
import type { Format, Quality } from './types.js';
import type { ApiVersion } from './version.js';

/** An image request's parameters, parsed but not yet resolved against an image. */
export interface ImageRequest {
  readonly region: RegionRequest;
  readonly size: SizeRequest;
  readonly rotation: RotationRequest;
  readonly quality: Quality;
  readonly format: Format;
}

/** The four path segments after the identifier: region/size/rotation/quality.format. */
export interface ImageRequestSegments {
  readonly region: string;
  readonly size: string;
  readonly rotation: string;
  readonly qualityFormat: string;
}

/** Parses every parameter, in URI order; the first malformed one is the 400 (3.0 §7.3). */
export function parseImageRequest(segments: ImageRequestSegments, version: ApiVersion): ImageRequest {
  const region = parseRegion(segments.region);
  const size = parseSize(segments.size, version);
  const rotation = parseRotation(segments.rotation);
  const { quality, format } = parseQualityFormat(segments.qualityFormat);
  return { region, size, rotation, quality, format };
}
