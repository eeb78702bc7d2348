import { describe, expect, it } from 'vitest';
import type { Leaf } from '../../src/document/model.js';
import { union } from '../../src/document/boxes.js';
import { clampToCanvas } from '../../src/presentation/geometry.js';
import { regionOf, toCanvas } from '../../src/presentation/leaf-regions.js';

const leaf = (page?: { width: number; height: number }): Leaf => ({
  id: 'l1',
  folio: 1,
  label: { ru: ['л. 1'], en: ['f. 1'] },
  image: 'img',
  translation: null,
  transcription: {
    language: 'ru',
    format: 'alto',
    file: 'l1.alto.xml',
    ...(page ? { page } : {}),
    blocks: [
      {
        id: 'b1',
        box: { x: 100, y: 100, w: 800, h: 120 },
        lines: [
          { id: 'b1-l1', text: 'Товарищ', box: { x: 100, y: 100, w: 400, h: 50 }, words: [] },
          { id: 'b1-l2', text: 'Филиппов!', box: { x: 120, y: 170, w: 780, h: 50 }, words: [] },
        ],
      },
      { id: 'b2', box: null, lines: [{ id: 'b2-l1', text: 'без координат', box: null, words: [] }] },
    ],
  },
});

describe('geometry', () => {
  it('unions boxes into the smallest box containing them all', () => {
    expect(union([{ x: 10, y: 20, w: 5, h: 5 }, { x: 0, y: 30, w: 40, h: 1 }])).toEqual({ x: 0, y: 20, w: 40, h: 11 });
    expect(union([])).toBeNull();
    // Text without geometry adds nothing to a region.
    expect(union([null, { x: 1, y: 2, w: 3, h: 4 }])).toEqual({ x: 1, y: 2, w: 3, h: 4 });
    expect(union([null])).toBeNull();
  });

  it('clips a box to the canvas and drops one entirely outside it', () => {
    expect(clampToCanvas({ x: -5, y: 90, w: 20, h: 20 }, { width: 100, height: 100 })).toEqual({ x: 0, y: 90, w: 15, h: 10 });
    expect(clampToCanvas({ x: 100, y: 0, w: 5, h: 5 }, { width: 100, height: 100 })).toBeNull();
  });

  it('scales ALTO coordinates to an image of another size than the page ALTO describes', () => {
    const half = { width: 500, height: 700 };
    expect(toCanvas({ x: 100, y: 100, w: 400, h: 50 }, leaf({ width: 1000, height: 1400 }), half)).toEqual({
      x: 50,
      y: 50,
      w: 200,
      h: 25,
    });
  });

  it('keeps ALTO coordinates as they are when the image is the page ALTO describes', () => {
    const page = { width: 1000, height: 1400 };
    expect(toCanvas({ x: 100, y: 100, w: 400, h: 50 }, leaf(page), page)).toEqual({ x: 100, y: 100, w: 400, h: 50 });
  });
});

describe('regionOf', () => {
  const canvas = { width: 1000, height: 1400 };

  it('covers the union of the targeted lines', () => {
    expect(regionOf(leaf(), ['b1-l1', 'b1-l2'], canvas)).toEqual({ x: 100, y: 100, w: 800, h: 120 });
  });

  it('is undefined when no target is on the leaf, and null (whole canvas) when one has no geometry', () => {
    expect(regionOf(leaf(), ['elsewhere'], canvas)).toBeUndefined();
    expect(regionOf(leaf(), ['b1', 'b2'], canvas)).toBeNull();
  });
});
