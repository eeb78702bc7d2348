import { formatDecimal, invalid, parseDecimal, parseInteger } from './numbers.js';
import type { ApiVersion } from './version.js';

/**
 * The size parameter as written. `upscale` is the 3.0 `^` prefix; in 2.1 every form may
 * scale above the region (2.1 §4.2: "The image server MAY support scaling above the full
 * size"), so the 2.1 parser sets it on every form.
 */
export type SizeRequest = { readonly upscale: boolean } & (
  | { readonly kind: 'max' }
  /** 2.1 only: the region unscaled. */
  | { readonly kind: 'full' }
  | { readonly kind: 'width'; readonly w: number }
  | { readonly kind: 'height'; readonly h: number }
  | { readonly kind: 'percent'; readonly n: number }
  | { readonly kind: 'exact'; readonly w: number; readonly h: number }
  | { readonly kind: 'confined'; readonly w: number; readonly h: number }
);

const widthPattern = /^(\d+),$/;
const heightPattern = /^,(\d+)$/;
const exactPattern = /^(\d+),(\d+)$/;
const confinedPattern = /^!(\d+),(\d+)$/;
const percentPattern = /^pct:([\d.]+)$/;

export function parseSize(value: string, version: ApiVersion): SizeRequest {
  let body = value;
  let upscale = version === 2;
  if (version === 3 && body.startsWith('^')) {
    upscale = true;
    body = body.slice(1);
  }
  const int = (t: string) => parseInteger(t, 'size', value);
  const positive = (n: number) => {
    if (n === 0) throw invalid('size', value, 'width and height must be greater than 0');
    return n;
  };
  // 2.1's max and full never upscale: max is full unless the limits make it smaller.
  if (body === 'max') return { upscale: version === 3 && upscale, kind: 'max' };
  if (version === 2 && body === 'full') return { upscale: false, kind: 'full' };
  let m = widthPattern.exec(body);
  if (m) return { upscale, kind: 'width', w: positive(int(m[1]!)) };
  m = heightPattern.exec(body);
  if (m) return { upscale, kind: 'height', h: positive(int(m[1]!)) };
  m = exactPattern.exec(body);
  if (m) return { upscale, kind: 'exact', w: positive(int(m[1]!)), h: positive(int(m[2]!)) };
  m = confinedPattern.exec(body);
  if (m) return { upscale, kind: 'confined', w: positive(int(m[1]!)), h: positive(int(m[2]!)) };
  m = percentPattern.exec(body);
  if (m) {
    const n = positive(parseDecimal(m[1]!, 'size', value));
    if (version === 3 && !upscale && n > 100) {
      throw invalid('size', value, 'pct:n above 100 needs the ^ prefix to upscale');
    }
    return { upscale, kind: 'percent', n };
  }
  const forms =
    version === 3
      ? 'expected max, w,, ,h, pct:n, w,h or !w,h, each optionally prefixed with ^'
      : 'expected full, max, w,, ,h, pct:n, w,h or !w,h';
  throw invalid('size', value, forms);
}

/** The request written back in its own form. */
export function formatSize(size: SizeRequest, version: ApiVersion): string {
  const up = version === 3 && size.upscale ? '^' : '';
  switch (size.kind) {
    case 'max':
    case 'full':
      return `${up}${size.kind}`;
    case 'width':
      return `${up}${size.w},`;
    case 'height':
      return `${up},${size.h}`;
    case 'percent':
      return `${up}pct:${formatDecimal(size.n, 10)}`;
    case 'exact':
      return `${up}${size.w},${size.h}`;
    case 'confined':
      return `${up}!${size.w},${size.h}`;
  }
}
