import type { Rect } from './geometry.js';

export const overlayFont = '"DejaVu Serif", "PT Serif", "Times New Roman", serif';

let context: CanvasRenderingContext2D | null | undefined;
function measure(text: string, fontSize: number): number {
  if (context === undefined) {
    context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  }
  if (!context) return text.length * fontSize * 0.5;
  context.font = `${fontSize}px ${overlayFont}`;
  return context.measureText(text).width || text.length * fontSize * 0.5;
}

/** How a line's text is set: one line whose font fits the box height, squeezed or stretched to its width. */
export function fitLine(text: string, box: Rect): { fontSize: number; scaleX: number } {
  const fontSize = box.h * 0.8;
  const width = measure(text, fontSize);
  return { fontSize, scaleX: width > 0 ? box.w / width : 1 };
}

const sample = 'абвгдежзийклмнопрстуфхцчшщ etaoinshrdlu';
/** Average advance of a character, per pixel of font size. The overlay font is fixed (no web font loads late), so it is measured once. */
let perCharWidth: number | undefined;
function perChar(): number {
  perCharWidth ??= measure(sample, 100) / sample.length / 100;
  return perCharWidth;
}

/** The font size at which a paragraph, wrapped, roughly fills its box (line height 1.2). */
export function fitParagraph(text: string, box: Rect): number {
  const size = Math.sqrt((box.w * box.h) / (Math.max(1, text.length) * perChar() * 1.2));
  return Math.min(size * 0.92, box.h);
}
