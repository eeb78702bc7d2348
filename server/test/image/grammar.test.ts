import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/errors.js';
import { formatDecimal } from '../../src/image/numbers.js';
import { parseQualityFormat } from '../../src/image/quality-format.js';
import { formatRegion, parseRegion } from '../../src/image/region.js';
import { formatRotation, parseRotation } from '../../src/image/rotation.js';
import { formatSize, parseSize } from '../../src/image/size.js';

/** Asserts a 400 whose message names the parameter and echoes the value. */
function expect400(fn: () => unknown, parameter: string, value: string) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(BadRequestError);
  const message = (caught as Error).message;
  expect(message).toContain(parameter);
  expect(message).toContain(`"${value}"`);
}

describe('region (Image API 3.0 §4.1, same grammar in 2.1)', () => {
  it.each([
    ['full', { kind: 'full' }],
    ['square', { kind: 'square' }],
    ['0,0,10,10', { kind: 'pixels', x: 0, y: 0, w: 10, h: 10 }],
    ['125,15,120,140', { kind: 'pixels', x: 125, y: 15, w: 120, h: 140 }],
    ['pct:41.6,7.5,40,70', { kind: 'percent', x: 41.6, y: 7.5, w: 40, h: 70 }],
    ['pct:0,0,100,100', { kind: 'percent', x: 0, y: 0, w: 100, h: 100 }],
    ['pct:0.5,0.25,1,1', { kind: 'percent', x: 0.5, y: 0.25, w: 1, h: 1 }],
  ])('parses %s', (value, expected) => {
    expect(parseRegion(value)).toEqual(expected);
  });

  it.each([
    '',
    'FULL',
    'Full',
    ' full',
    'full ',
    'square1',
    '1,2,3',
    '1,2,3,4,5',
    '-1,0,10,10',
    '1.5,0,10,10',
    '0x10,0,1,1',
    '1,,2,3',
    '99999999999999999999,0,1,1',
    'pct:',
    'pct:1,2,3',
    'pct:-1,0,10,10',
    'pct:+1,0,10,10',
    'pct:1e2,0,1,1',
    'pct:1.,0,1,1',
    'pct:1..2,0,1,1',
    `pct:${'9'.repeat(400)},0,1,1`,
    'percent:1,1,1,1',
  ])('refuses %j with a 400 naming region', (value) => {
    expect400(() => parseRegion(value), 'region', value);
  });

  it('writes every parsed form back unchanged', () => {
    for (const v of ['full', 'square', '1,2,3,4', 'pct:41.6,7.5,40,70']) expect(formatRegion(parseRegion(v))).toBe(v);
  });
});

describe('size, 3.0 grammar (§4.2): max, w,, ,h, pct:n, w,h, !w,h, each optionally ^', () => {
  it.each([
    ['max', { upscale: false, kind: 'max' }],
    ['^max', { upscale: true, kind: 'max' }],
    ['150,', { upscale: false, kind: 'width', w: 150 }],
    ['^360,', { upscale: true, kind: 'width', w: 360 }],
    [',150', { upscale: false, kind: 'height', h: 150 }],
    ['^,240', { upscale: true, kind: 'height', h: 240 }],
    ['pct:50', { upscale: false, kind: 'percent', n: 50 }],
    ['pct:100', { upscale: false, kind: 'percent', n: 100 }],
    ['pct:0.5', { upscale: false, kind: 'percent', n: 0.5 }],
    ['^pct:120', { upscale: true, kind: 'percent', n: 120 }],
    ['225,100', { upscale: false, kind: 'exact', w: 225, h: 100 }],
    ['^360,360', { upscale: true, kind: 'exact', w: 360, h: 360 }],
    ['!225,100', { upscale: false, kind: 'confined', w: 225, h: 100 }],
    ['^!360,360', { upscale: true, kind: 'confined', w: 360, h: 360 }],
  ])('parses %s', (value, expected) => {
    expect(parseSize(value, 3)).toEqual(expected);
    expect(formatSize(parseSize(value, 3), 3)).toBe(value);
  });

  it.each([
    '',
    'full', // 2.1 only; 3.0 replaced it by max
    'MAX',
    '^',
    '^^max',
    '!^100,100',
    '^!max',
    '100',
    '100,,',
    ',',
    '!100,',
    '!,100',
    '0,',
    ',0',
    '0,10',
    '10,0',
    '!0,10',
    'pct:0',
    'pct:101', // above 100 needs ^ (§4.2: "The value of n MUST NOT be greater than 100")
    'pct:',
    'pct:-5',
    'pct:1e2',
    '-1,',
    '1.5,',
    'max ',
    '^full',
    '99999999999999999999,',
  ])('refuses %j with a 400 naming size', (value) => {
    expect400(() => parseSize(value, 3), 'size', value);
  });
});

describe('size, 2.1 grammar (§4.2): full, max, w,, ,h, pct:n, w,h, !w,h; no ^; upscaling allowed', () => {
  it.each([
    ['full', { upscale: false, kind: 'full' }],
    ['max', { upscale: false, kind: 'max' }],
    ['150,', { upscale: true, kind: 'width', w: 150 }],
    [',150', { upscale: true, kind: 'height', h: 150 }],
    ['pct:50', { upscale: true, kind: 'percent', n: 50 }],
    ['pct:150', { upscale: true, kind: 'percent', n: 150 }],
    ['225,100', { upscale: true, kind: 'exact', w: 225, h: 100 }],
    ['!225,100', { upscale: true, kind: 'confined', w: 225, h: 100 }],
  ])('parses %s', (value, expected) => {
    expect(parseSize(value, 2)).toEqual(expected);
    expect(formatSize(parseSize(value, 2), 2)).toBe(value);
  });

  it.each(['^max', '^150,', '^,150', '^pct:50', '^1,1', '^!1,1', '0,', 'pct:0', 'FULL', ''])(
    'refuses %j with a 400 naming size',
    (value) => {
      expect400(() => parseSize(value, 2), 'size', value);
    },
  );
});

describe('rotation (§4.3): n or !n, 0 ≤ n ≤ 360, any decimal', () => {
  it.each([
    ['0', false, 0],
    ['90', false, 90],
    ['180', false, 180],
    ['270', false, 270],
    ['22.5', false, 22.5],
    ['0.5', false, 0.5],
    ['360', false, 0], // the same image as 0
    ['!0', true, 0],
    ['!90', true, 90],
    ['!345', true, 345],
    ['!22.125', true, 22.125],
  ])('parses %s', (value, mirror, degrees) => {
    expect(parseRotation(value)).toEqual({ mirror, degrees });
  });

  it.each(['', '!', '!!90', '90!', '-90', '361', '360.0001', 'abc', '1e2', '+90', ' 90', '90 ', '9'.repeat(400)])(
    'refuses %j with a 400 naming rotation',
    (value) => {
      expect400(() => parseRotation(value), 'rotation', value);
    },
  );

  it('writes the canonical form: integer when possible, no trailing zeros, leading 0 (§4.7, §4.8)', () => {
    expect(formatRotation(parseRotation('90.000'))).toBe('90');
    expect(formatRotation(parseRotation('!22.50'))).toBe('!22.5');
    expect(formatRotation(parseRotation('.5'))).toBe('0.5');
    expect(formatRotation(parseRotation('0.0000001'))).toBe('0');
    expect(formatRotation(parseRotation('!360'))).toBe('!0');
  });

  it('keeps the zeros of whole numbers at any precision', () => {
    expect(formatDecimal(10, 0)).toBe('10');
    expect(formatDecimal(100)).toBe('100');
    expect(formatDecimal(0)).toBe('0');
    expect(formatDecimal(0.25, 1)).toBe('0.3');
  });
});

describe('quality and format (§4.4, §4.5)', () => {
  it.each([
    ['default.jpg', 'default', 'jpg'],
    ['color.png', 'color', 'png'],
    ['gray.webp', 'gray', 'webp'],
    ['bitonal.tif', 'bitonal', 'tif'],
    ['default.gif', 'default', 'gif'],
    ['gray.jp2', 'gray', 'jp2'],
    ['default.pdf', 'default', 'pdf'],
  ])('parses %s', (value, quality, format) => {
    expect(parseQualityFormat(value)).toEqual({ quality, format });
  });

  it.each([
    ['default', 'quality.format'],
    ['default.', 'quality.format'],
    ['.jpg', 'quality.format'],
    ['default.jpg.png', 'quality.format'],
    ['DEFAULT.JPG', 'quality.format'],
    ['grey.jpg', 'quality'],
    ['native.jpg', 'quality'], // the 1.x name, not a 2.1 or 3.0 quality
    ['default.bmp', 'format'],
    ['default.jpeg', 'format'],
  ])('refuses %j with a 400 naming %s', (value, parameter) => {
    expect400(() => parseQualityFormat(value), parameter, value);
  });
});

describe('parsers never leak NaN or an exception other than a 400/501', () => {
  const anyText = fc.string({ unit: fc.constantFrom(...'0123456789.,:!^pctmaxfulsqr-+e '.split('')), maxLength: 24 });
  it('region, size and rotation', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        for (const parse of [parseRegion, (v: string) => parseSize(v, 3), (v: string) => parseSize(v, 2), parseRotation]) {
          try {
            const parsed = parse(value);
            for (const n of Object.values(parsed)) if (typeof n === 'number') expect(Number.isFinite(n)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(BadRequestError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
