import { formatDecimal, invalid, parseDecimal } from './numbers.js';

/** The rotation parameter (Image API 3.0 §4.3; 2.1 is the same): `n` or `!n`, 0 ≤ n ≤ 360. */
export interface RotationRequest {
  readonly mirror: boolean;
  /** Clockwise degrees in [0, 360), rounded to 1e-6° (360 is the same image as 0). */
  readonly degrees: number;
}

const rotationPattern = /^(!?)([\d.]+)$/;

export function parseRotation(value: string): RotationRequest {
  const m = rotationPattern.exec(value);
  if (!m) throw invalid('rotation', value, 'expected n or !n with n a number of degrees from 0 to 360');
  const n = parseDecimal(m[2]!, 'rotation', value);
  if (n > 360) throw invalid('rotation', value, 'degrees must be from 0 to 360');
  // Finer than a millionth of a degree moves no pixel of any image we may render.
  const degrees = Math.round(n * 1e6) / 1e6;
  return { mirror: m[1] === '!', degrees: degrees === 360 ? 0 : degrees };
}

/** The canonical form (§4.8): "!" when mirrored, then an integer if possible, else a plain decimal. */
export function formatRotation(rotation: RotationRequest): string {
  return `${rotation.mirror ? '!' : ''}${formatDecimal(rotation.degrees)}`;
}

/**
 * Output dimensions after rotating a width×height image: the bounding box of the rotated
 * content (§4.3: no scaling, no extra space around the corners). Multiples of 90° are exact.
 */
export function rotatedSize(width: number, height: number, degrees: number): { width: number; height: number } {
  if (degrees % 180 === 0) return { width, height };
  if (degrees % 90 === 0) return { width: height, height: width };
  const r = (degrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(r));
  const sin = Math.abs(Math.sin(r));
  return {
    width: Math.max(1, Math.round(width * cos + height * sin)),
    height: Math.max(1, Math.round(width * sin + height * cos)),
  };
}
