import { describe, expect, it } from 'vitest';
import { fitLine, fitParagraph } from '../src/text-fit.js';

// Without a DOM the measure falls back to half an em per character, so the expected sizes are exact.
const perChar = 0.5;
const paragraph = 'Concerning the negotiations about a cessation of military operations…';

describe('fitParagraph: a wrapped paragraph roughly fills its box', () => {
  it('sets the text so that its wrapped area is about 85% of the box (0.92² of it, a margin for ragged lines)', () => {
    const box = { x: 300, y: 520, w: 2400, h: 400 };
    const size = fitParagraph(paragraph, box);
    const textArea = paragraph.length * perChar * size * (size * 1.2);
    expect(textArea / (box.w * box.h)).toBeCloseTo(0.92 ** 2, 5);
  });

  it('grows with the box and shrinks with the text', () => {
    const box = { x: 0, y: 0, w: 2400, h: 400 };
    const size = fitParagraph(paragraph, box);
    expect(fitParagraph(paragraph, { ...box, w: box.w * 4 })).toBeCloseTo(size * 2, 5);
    expect(fitParagraph(paragraph.repeat(4), box)).toBeCloseTo(size / 2, 5);
  });

  it('never sets a font taller than the box', () => {
    expect(fitParagraph('Да', { x: 0, y: 0, w: 3000, h: 50 })).toBe(50);
    expect(fitParagraph('', { x: 0, y: 0, w: 3000, h: 50 })).toBe(50);
  });
});

describe('fitLine: one line set to its box', () => {
  it('takes 80% of the box height and stretches the text to the box width', () => {
    const { fontSize, scaleX } = fitLine('Товарищ Филиппов!', { x: 0, y: 0, w: 900, h: 60 });
    expect(fontSize).toBe(48);
    expect(scaleX).toBeCloseTo(900 / ('Товарищ Филиппов!'.length * perChar * 48), 5);
  });
});
