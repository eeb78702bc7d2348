import fc from 'fast-check';

/**
 * Generators of hostile and valid requests for the Image API (3.0 and 2.1), each case with the
 * statuses the specification allows for it. Shared by the test suite (1,000 cases) and
 * `npm run fuzz` (100,000). Paths are raw: they reach the server byte for byte, unnormalised
 * (`..` segments, backslashes and percent-escapes included).
 */

export interface FuzzCase {
  /** Raw request target (path and query), printable ASCII only. */
  readonly path: string;
  /** Every status the spec allows for this request. */
  readonly expected: readonly number[];
  /** What kind of case it is, for the counts. */
  readonly kind: string;
}

export interface FuzzImage {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

const versions = [3, 2] as const;
type Version = (typeof versions)[number];

const qualities = ['default', 'color', 'gray', 'bitonal'] as const;
const formats = ['jpg', 'png', 'webp', 'tif', 'gif', 'jp2', 'pdf'] as const;

/** Percent-encodes every byte that is not unreserved (RFC 3986), so any string is a valid path segment. */
export function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ---- valid requests ---------------------------------------------------------------------

interface Region {
  text: string;
  /** Resolved size in pixels, or null when the generator does not know it exactly (pct:). */
  w: number | null;
  h: number | null;
}

function regionArb(image: FuzzImage): fc.Arbitrary<Region> {
  const { width: W, height: H } = image;
  const side = Math.min(W, H);
  const pixels = fc
    .record({
      x: fc.integer({ min: 0, max: W - 1 }),
      y: fc.integer({ min: 0, max: H - 1 }),
      w: fc.integer({ min: 1, max: W + 50 }),
      h: fc.integer({ min: 1, max: H + 50 }),
    })
    // Cropped at the image's edge (3.0 §4.1).
    .map(({ x, y, w, h }) => ({ text: `${x},${y},${w},${h}`, w: Math.min(w, W - x), h: Math.min(h, H - y) }));
  const percent = fc
    .record({
      // Below 98 %: a start that rounds to the image's last edge is outside it (a 400).
      x: fc.integer({ min: 0, max: 97 }),
      y: fc.integer({ min: 0, max: 97 }),
      w: fc.integer({ min: 1, max: 120 }),
      h: fc.integer({ min: 1, max: 120 }),
      frac: fc.constantFrom('', '.5', '.25', '.125'),
    })
    .map(({ x, y, w, h, frac }) => ({ text: `pct:${x}${frac},${y},${w}${frac},${h}`, w: null, h: null }));
  return fc.oneof(
    fc.constant({ text: 'full', w: W, h: H }),
    fc.constant({ text: 'square', w: side, h: side }),
    pixels,
    percent,
  );
}

export interface OutputLimits {
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly maxArea: number;
}

const defaultLimits: OutputLimits = { maxWidth: 10_000, maxHeight: 10_000, maxArea: 40_000_000 };

interface Size {
  text: string;
  expected: number[];
}

/**
 * The statuses for an upscale to w×h: 200 within the limits, 400 beyond (3.0 §4.2); near the
 * edge, or when the region's size is not known exactly, either.
 */
function upscaleStatus(w: number | null, h: number | null, limits: OutputLimits): number[] {
  if (w === null || h === null) return [200, 400];
  const over = (v: number, max: number) => (v > max * 1.02 ? 'over' : v < max * 0.98 ? 'under' : 'edge');
  const verdicts = [over(w, limits.maxWidth), over(h, limits.maxHeight), over(w * h, limits.maxArea)];
  if (verdicts.includes('over')) return [400];
  return verdicts.includes('edge') ? [200, 400] : [200];
}

/** A size that never upscales the region, or upscales within a small bound (^ in 3.0, any form in 2.1). */
function sizeArb(version: Version, region: Region, limits: OutputLimits): fc.Arbitrary<Size> {
  const ok = (text: string): Size => ({ text, expected: [200] });
  const { w: rw, h: rh } = region;
  const byWidth = (w: number) => upscaleStatus(w, rw && rh ? (rh * w) / rw : null, limits);
  const byHeight = (h: number) => upscaleStatus(rw && rh ? (rw * h) / rh : null, h, limits);
  const sized = (arb: fc.Arbitrary<string>) => arb.map(ok);
  const safe: fc.Arbitrary<Size>[] = [
    sized(fc.constant('max')),
    sized(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 })).map(([w, h]) => `!${w},${h}`)),
  ];
  if (version === 2) safe.push(sized(fc.constant('full')));
  if (rw !== null && rh !== null) {
    safe.push(
      sized(fc.integer({ min: 1, max: rw }).map((w) => `${w},`)),
      sized(fc.integer({ min: 1, max: rh }).map((h) => `,${h}`)),
      sized(fc.tuple(fc.integer({ min: 1, max: rw }), fc.integer({ min: 1, max: rh })).map(([w, h]) => `${w},${h}`)),
      sized(fc.integer({ min: 1, max: 100 }).map((n) => `pct:${n}`)),
    );
  }
  // Upscales stay small (this fuzzes the grammar, not sharp's speed): at most 600 px on the
  // named side and 1,500 px on the other, else a thin region would ask for a huge output.
  const up = version === 3 ? '^' : '';
  if (rw !== null && rh !== null) {
    const maxW = Math.max(1, Math.min(600, Math.floor((1500 * rw) / rh)));
    const maxH = Math.max(1, Math.min(600, Math.floor((1500 * rh) / rw)));
    safe.push(
      fc.integer({ min: 1, max: maxW }).map((w) => ({ text: `${up}${w},`, expected: byWidth(w) })),
      fc.integer({ min: 1, max: maxH }).map((h) => ({ text: `${up},${h}`, expected: byHeight(h) })),
    );
  }
  if (version === 3) {
    // ^!w,h and ^max stay within the limits by definition.
    safe.push(sized(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 })).map(([w, h]) => `^!${w},${h}`)));
  }
  return fc.oneof(...safe);
}

const rotationArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.oneof(
      fc.constantFrom(0, 90, 180, 270, 360),
      fc.integer({ min: 0, max: 359 }).chain((n) =>
        fc.constantFrom(String(n), `${n}.5`, `${n}.25`, n === 0 ? '0.000001' : `${n}.0`),
      ),
    ),
  )
  .map(([mirror, n]) => `${mirror ? '!' : ''}${n}`);

const qualityFormatArb = fc
  .tuple(fc.constantFrom(...qualities), fc.constantFrom(...formats))
  .map(([q, f]) => `${q}.${f}`);

interface Params {
  region: string;
  size: string;
  rotation: string;
  qualityFormat: string;
}

/** Valid parameters and the statuses they may get (a 400 only for an upscale past the limits). */
function validParamsFor(version: Version, image: FuzzImage, limits: OutputLimits): fc.Arbitrary<Params & { expected: number[] }> {
  return regionArb(image).chain((region) =>
    fc
      .record({ size: sizeArb(version, region, limits), rotation: rotationArb, qualityFormat: qualityFormatArb })
      .map(({ size, rotation, qualityFormat }) => ({
        region: region.text,
        size: size.text,
        rotation,
        qualityFormat,
        expected: size.expected,
      })),
  );
}

/** Percent-encodes some characters of a segment: the server decodes each segment once. */
function encodeSome(text: string, mask: readonly boolean[]): string {
  return [...text].map((c, i) => (mask[i % mask.length] ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c)).join('');
}

function imagePath(version: Version, idSegment: string, p: Params): string {
  return `/iiif/${version}/${idSegment}/${p.region}/${p.size}/${p.rotation}/${p.qualityFormat}`;
}

// ---- hostile pieces -----------------------------------------------------------------------

/** Numbers the grammar forbids: signs, negative zero, exponents, hex, NaN, spaces, separators. */
const badNumber = fc.constantFrom(
  '-1',
  '-0',
  '+1',
  '1e3',
  '1E2',
  '0x10',
  'NaN',
  'Infinity',
  '%20',
  '1%2C2',
  '1.',
  '.',
  '1..2',
  '%D9%A1', // Arabic-Indic digit one
  '%EF%BC%91', // fullwidth digit one
  '',
);

const hugeNumber = fc.constantFrom(
  '99999999999999999999',
  '9007199254740993',
  String(Number.MAX_SAFE_INTEGER),
  '1'.padEnd(400, '0'),
);

function invalidRegion(image: FuzzImage): fc.Arbitrary<string> {
  const n = fc.integer({ min: 0, max: 100 }).map(String);
  return fc.oneof(
    fc.tuple(badNumber, n, n, n).map((a) => a.join(',')),
    fc.tuple(n, n, badNumber, n).map((a) => a.join(',')),
    fc.tuple(n, n, n).map((a) => a.join(',')),
    fc.tuple(n, n, n, n, n).map((a) => a.join(',')),
    fc.tuple(badNumber, n, n, n).map((a) => `pct:${a.join(',')}`),
    fc.constantFrom(
      'pct:',
      'pct:0,0,0,0',
      'pct:100,0,10,10',
      'pct:0,0,50',
      'PCT:0,0,50,50',
      'Full',
      'FULL',
      'squares',
      'full%20',
      '0,0,0,0',
      '0,0,0,10',
      '..',
      '%2e%2e',
      '',
    ),
    // Entirely outside the image.
    fc.integer({ min: 0, max: 1000 }).map((d) => `${image.width + d},0,10,10`),
    fc.integer({ min: 0, max: 1000 }).map((d) => `0,${image.height + d},10,10`),
    hugeNumber.map((h) => `${h},0,10,10`),
  );
}

function invalidSize(version: Version, image: FuzzImage): fc.Arbitrary<string> {
  const upscales = [
    // Larger than the full image without ^ (3.0 only: 2.1 may upscale).
    `${image.width + 1},`,
    `,${image.height + 1}`,
    'pct:100.5',
    'pct:101',
  ];
  return fc.oneof(
    badNumber.map((b) => `${b},`),
    badNumber.map((b) => `,${b}`),
    badNumber.map((b) => `pct:${b}`),
    badNumber.map((b) => `!${b},10`),
    hugeNumber.map((h) => `${h},`),
    hugeNumber.map((h) => (version === 3 ? `^${h},` : `${h},`)),
    hugeNumber.map((h) => (version === 3 ? `^pct:${h}` : `pct:${h}`)),
    fc.constantFrom(
      '0,',
      ',0',
      '0,0',
      '!0,10',
      'pct:0',
      ',',
      '!,',
      '!10,',
      '10,10,10',
      'Max',
      'max,',
      '^^max',
      'pct:',
      'pct:%2D1',
      '..',
      '',
    ),
    fc.constantFrom(...(version === 3 ? ['full', ...upscales, '^', '^0,'] : ['^max', '^100,', '^pct:50'])),
  );
}

const invalidRotation = fc.oneof(
  badNumber,
  badNumber.map((b) => `!${b}`),
  fc.constantFrom('360.0001', '361', '720', '!!90', '90!', '!', '-90', '-0', '1e1', 'ninety', '%25%32%31%39%30', '..', ''),
  hugeNumber,
);

const invalidQualityFormat = fc.oneof(
  fc.constantFrom(
    'default',
    'default.',
    '.jpg',
    'default.JPG',
    'Default.jpg',
    'native.jpg',
    'grey.jpg',
    'default.jpeg',
    'default.bmp',
    'default.svg',
    'default.jpg.png',
    'default%252Ejpg',
    'default.jpg%00',
    'default.jpg%00.png',
    'default..jpg',
    '..',
    '',
  ),
  fc.tuple(fc.constantFrom(...qualities), badNumber).map(([q, b]) => `${q}.${b}`),
);

/** Identifiers no image has: plain, dotted, encoded, overlong UTF-8, NUL, backslashes, very long. */
const hostileIdentifier: fc.Arbitrary<{ segment: string; expected: number[] }> = fc.oneof(
  // Any string, properly encoded: an unknown identifier is a 404.
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => ({ segment: encodeSegment(s), expected: [404] })),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => ({ segment: encodeSegment(s), expected: [404] })),
  fc
    .constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E',
      '.%2e',
      '%252e%252e',
      '..%2f..%2fetc%2fpasswd',
      '..%5c..%5cwindows',
      '..\\..\\etc\\passwd',
      '%2e%2e%2f%2e%2e%2f',
      '%252e%252e%252fetc%252fpasswd',
      '%00',
      'p1%00.jpg',
      '%2fetc%2fpasswd',
      '~',
      '%7e',
      'CON',
      'nul',
      'info.json',
    )
    .map((segment) => ({ segment, expected: [404] })),
  // Malformed or overlong UTF-8 and broken escapes: not a valid identifier encoding at all.
  fc
    .constantFrom('%C0%AE%C0%AE', '%c0%af', '%e0%80%ae', '%C0%80', '%ED%A0%80', '%FF', '%', '%2', '%zz', 'a%G0')
    .map((segment) => ({ segment, expected: [400, 404] })),
  fc.integer({ min: 200, max: 6000 }).map((n) => ({ segment: 'a'.repeat(n), expected: [404] })),
);

// ---- cases ----------------------------------------------------------------------------------

export function imageCases(images: readonly FuzzImage[], limits: OutputLimits = defaultLimits): fc.Arbitrary<FuzzCase> {
  const version = fc.constantFrom(...versions);
  const image = fc.constantFrom(...images);
  const known = new Set(images.map((i) => i.id));
  const validParams = (v: Version, img: FuzzImage) => validParamsFor(v, img, limits);

  const valid = fc
    .tuple(version, image)
    .chain(([v, img]) =>
      validParams(v, img).map((p) => ({ path: imagePath(v, encodeSegment(img.id), p), expected: p.expected, kind: `valid-v${v}` })),
    );

  // The same requests with characters percent-encoded (%5E for ^, %21 for !, %3A for :): equal after decoding.
  const encoded = fc
    .tuple(version, image, fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }))
    .chain(([v, img, mask]) =>
      validParams(v, img).map((p) => ({
        path: imagePath(v, encodeSome(img.id, mask), {
          region: encodeSome(p.region, mask),
          size: encodeSome(p.size, mask),
          rotation: encodeSome(p.rotation, mask),
          qualityFormat: encodeSome(p.qualityFormat, mask),
        }),
        expected: p.expected,
        kind: 'valid-percent-encoded',
      })),
    );

  // Encoded twice, a parameter still holds a "%" after the one decoding: never valid.
  const doubleEncoded = fc
    .tuple(version, image, fc.constantFrom('region', 'size', 'rotation', 'qualityFormat' as const))
    .chain(([v, img, which]) =>
      validParams(v, img).map((p) => ({
        path: imagePath(v, encodeSegment(img.id), { ...p, [which]: encodeSome(encodeSome(p[which], [true]), [true]) }),
        expected: [400],
        kind: 'double-encoded',
      })),
    );

  const unknownId = fc
    .tuple(version, image, hostileIdentifier)
    .filter(([, , id]) => !known.has(id.segment))
    .chain(([v, img, id]) =>
      validParams(v, img).map((p) => ({ path: imagePath(v, id.segment, p), expected: id.expected, kind: 'hostile-identifier' })),
    );

  const malformed = fc.tuple(version, image).chain(([v, img]) =>
    fc
      .tuple(
        validParams(v, img),
        fc.constantFrom('region', 'size', 'rotation', 'qualityFormat' as const),
        invalidRegion(img),
        invalidSize(v, img),
        invalidRotation,
        invalidQualityFormat,
      )
      .map(([p, which, region, size, rotation, qualityFormat]) => {
        const bad = { region, size, rotation, qualityFormat }[which];
        // An empty segment changes the path's shape: still a 400, never a 404 or 500.
        return { path: imagePath(v, encodeSegment(img.id), { ...p, [which]: bad }), expected: [400], kind: `malformed-${which}` };
      }),
  );

  // The formats not written by sharp (a WebAssembly encoder in a worker, a PDF around a JPEG), more often.
  const ownEncoders = fc.tuple(version, image).chain(([v, img]) =>
    validParams(v, img).chain((p) =>
      fc.constantFrom('jp2', 'pdf').map((f) => ({
        path: imagePath(v, encodeSegment(img.id), { ...p, qualityFormat: `${p.qualityFormat.split('.')[0]}.${f}` }),
        expected: p.expected,
        kind: 'valid-own-encoder',
      })),
    ),
  );

  const shape = fc.tuple(version, image).chain(([v, img]) => {
    const id = encodeSegment(img.id);
    return fc.oneof(
      fc.constant({ path: `/iiif/${v}/${id}`, expected: [303], kind: 'base-uri' }),
      fc.constant({ path: `/iiif/${v}/${id}/info.json`, expected: [200], kind: 'info' }),
      fc.constantFrom('info.JSON', 'info.json%00', 'info.json.bak', 'info', '..%2finfo.json').map((f) => ({
        path: `/iiif/${v}/${id}/${f}`,
        expected: [400, 404],
        kind: 'info-lookalike',
      })),
      // Too few or too many segments, or `..` segments the client did not normalise.
      fc.constantFrom('full', 'full/max', 'full/max/0', 'full/max/0/default.jpg/x', '../../../etc/passwd', 'full/max/0/../../x/y').map(
        (rest) => ({ path: `/iiif/${v}/${id}/${rest}`, expected: [400, 404], kind: 'path-shape' }),
      ),
    );
  });

  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: encoded, weight: 1 },
    { arbitrary: doubleEncoded, weight: 1 },
    { arbitrary: unknownId, weight: 3 },
    { arbitrary: malformed, weight: 6 },
    { arbitrary: ownEncoders, weight: 1 },
    { arbitrary: shape, weight: 1 },
  );
}
