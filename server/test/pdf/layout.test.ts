import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/document/model.js';
import { wrapText } from '../../src/pdf/closing-page.js';
import { outlineEntries } from '../../src/pdf/outline.js';
import { pageSize, printPixels, toPage } from '../../src/pdf/page-geometry.js';

const limits = { maxWidth: 10_000, maxHeight: 10_000, maxArea: 40_000_000 };

describe('print geometry', () => {
  it('asks for about 300 dpi across A4: a 400 dpi leaf (3307 px wide) becomes 2480 px, proportions kept', () => {
    expect(printPixels({ width: 3307, height: 4677 }, limits)).toEqual({ width: 2480, height: 3507 });
  });

  it('never enlarges a smaller image, and stays within the image service’s limits', () => {
    expect(printPixels({ width: 1200, height: 1600 }, limits)).toEqual({ width: 1200, height: 1600 });
    const small = { maxWidth: 1000, maxHeight: 1000, maxArea: 1_000_000 };
    const size = printPixels({ width: 3307, height: 4677 }, small);
    expect(size.width).toBeLessThanOrEqual(1000);
    expect(size.height).toBeLessThanOrEqual(1000);
  });

  it('prints a leaf at A4 width and its own height, neither cropped nor padded', () => {
    const page = pageSize({ width: 3307, height: 4677 });
    expect(page.width).toBeCloseTo(595.28, 2);
    expect(page.height / page.width).toBeCloseTo(4677 / 3307, 10);
  });

  it('turns image pixels (origin top left) into PDF points (origin bottom left)', () => {
    const image = { width: 1000, height: 2000 };
    const page = { width: 500, height: 1000 };
    expect(toPage({ x: 100, y: 200, w: 300, h: 40 }, image, page)).toEqual({ x: 50, y: 880, w: 150, h: 20 });
  });
});

describe('wrapping the closing page', () => {
  const widthOf = (s: string) => s.length; // one unit per character

  it('breaks at spaces, as many words per line as fit', () => {
    expect(wrapText('Cde. Filippov! Regarding the ceasefire', 14, widthOf)).toEqual(['Cde. Filippov!', 'Regarding the', 'ceasefire']);
  });

  it('breaks a word longer than the line rather than letting it run off the page', () => {
    const lines = wrapText('see https://example.org/a-very-long-address', 10, widthOf);
    expect(lines.every((l) => l.length <= 10)).toBe(true);
    expect(lines.join('')).toBe('seehttps://example.org/a-very-long-address');
  });
});

describe('bookmarks from the table of contents', () => {
  const section = (id: string, targets: string[], items: Section[] = []): Section => ({ id, label: { en: [id] }, targets, items });
  // Blocks a and b are on page 0, c on page 1; nothing of d is in this PDF.
  const pages: Record<string, number> = { a: 0, b: 0, c: 1 };
  const place = (targets: readonly string[]) => {
    const page = targets.map((t) => pages[t]).find((p) => p !== undefined);
    return page === undefined ? undefined : { page, top: 800 };
  };

  it('opens each section on the page of its first block present, subsections under it', () => {
    const entries = outlineEntries([section('one', ['a']), section('two', ['b', 'c'], [section('two.1', ['c'])])], place, (s) => s.id);
    expect(entries).toEqual([
      { title: 'one', page: 0, top: 800, children: [] },
      { title: 'two', page: 0, top: 800, children: [{ title: 'two.1', page: 1, top: 800, children: [] }] },
    ]);
  });

  it('leaves out a section not in this PDF (a leaf’s own), keeping what of it is', () => {
    const entries = outlineEntries([section('elsewhere', ['d']), section('parent', ['d'], [section('child', ['c'])])], place, (s) => s.id);
    expect(entries).toEqual([{ title: 'parent', page: 1, top: 800, children: [{ title: 'child', page: 1, top: 800, children: [] }] }]);
  });
});
