/**
 * Reads an hOCR page as Tesseract writes it (XHTML with a doctype, or plain HTML from other
 * engines) with a forgiving HTML parser, so named and numeric entities are decoded and unclosed
 * void elements do no harm. Kept: the page size, and ocr_par → line → ocrx_word with their boxes.
 *
 * - The `ocr_page`'s `bbox 0 0 W H` is the page size (one page per file).
 * - A block is an `ocr_par`; a line outside any paragraph belongs to its `ocr_carea`.
 * - Lines are `ocr_line` and the other line kinds engines write: `ocr_header`, `ocr_footer`,
 *   `ocr_caption`, `ocr_textfloat`.
 * - Boxes come from the `bbox x0 y0 x1 y1` property of the `title` (properties are separated by
 *   semicolons and may be quoted: `image "…"; bbox …; x_wconf 93`).
 * - A line without ocrx_word keeps its own text and has no words; blank words are dropped, and
 *   paragraphs and lines left without text are skipped.
 * - Ids are the elements' own and required, so translations point at the engine's par and line ids.
 * @see http://kba.github.io/hocr-spec/1.2/
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { DocumentDataError } from './document-error.js';
import type { Box, TextBlock, TextLine, Word } from './model.js';

type Element = ReturnType<typeof DomUtils.findAll>[number];

export interface HocrPage {
  readonly width: number;
  readonly height: number;
  readonly blocks: readonly TextBlock[];
}

const LINE_CLASSES = ['ocr_line', 'ocr_header', 'ocr_footer', 'ocr_caption', 'ocr_textfloat'];

const classesOf = (el: Element): string[] => (el.attribs.class ?? '').split(/\s+/).filter((c) => c !== '');
const hasClass = (el: Element, name: string): boolean => classesOf(el).includes(name);
const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The `title` properties: `name args` separated by semicolons that are not inside double quotes. */
export function titleProperties(title: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const part of title.match(/(?:[^;"]|"[^"]*")+/g) ?? []) {
    const [name, ...args] = part.trim().split(/\s+/);
    if (name && !properties.has(name)) properties.set(name, args.join(' '));
  }
  return properties;
}

/** Parses one hOCR file; `file` names it in errors. Throws DocumentDataError. */
export function parseHocr(html: string, file: string): HocrPage {
  const fail = (field: string, problem: string): never => {
    throw new DocumentDataError(file, field, problem);
  };
  const document = parseDocument(html, { decodeEntities: true, recognizeSelfClosing: true });
  const pages = DomUtils.findAll((el) => hasClass(el, 'ocr_page'), document.children);
  const page = pages.length === 1 ? pages[0] : undefined;
  if (!page) return fail('ocr_page', `must occur exactly once per leaf (found ${pages.length})`);

  /** The numbers of the `bbox` property: [x0, y0, x1, y1]. */
  const bboxOf = (el: Element, where: string): [number, number, number, number] => {
    const raw = titleProperties(el.attribs.title ?? '').get('bbox');
    if (raw === undefined) return fail(`${where}/@title`, 'has no bbox');
    const values = raw.split(' ').map(Number);
    if (values.length !== 4 || values.some((v) => !Number.isFinite(v) || v < 0)) {
      return fail(`${where}/@title`, `bbox must be four non-negative numbers (found "${raw}")`);
    }
    const [x0, y0, x1, y1] = values.map(Math.round) as [number, number, number, number];
    if (x1 < x0 || y1 < y0) fail(`${where}/@title`, `bbox must run from the top left to the bottom right corner (found "${raw}")`);
    return [x0, y0, x1, y1];
  };

  const [, , width, height] = bboxOf(page, 'ocr_page');
  if (width === 0 || height === 0) fail('ocr_page/@title', `bbox must give the page a size (found ${width}×${height})`);

  const boxOf = (el: Element, where: string): Box => {
    const [x0, y0, x1, y1] = bboxOf(el, where);
    const box = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    if (x1 > width || y1 > height) fail(where, `box ${box.x},${box.y},${box.w},${box.h} lies outside the ${width}×${height} page`);
    return box;
  };

  const seen = new Set<string>();
  const identify = (el: Element, kind: string): string => {
    const id = el.attribs.id?.trim();
    if (!id) {
      // Named by its place among the elements of its kind on the page.
      const n = DomUtils.findAll((other) => hasClass(other, kind), page.children).indexOf(el) + 1;
      return fail(`${kind}[${n}]/@id`, `is missing (the ${kind} #${n} of the page)`);
    }
    if (seen.has(id)) fail(`${kind}[@id="${id}"]/@id`, `"${id}" is used twice`);
    seen.add(id);
    return id;
  };

  /** The nearest ancestor of the given class inside the page. */
  const enclosing = (el: Element, kind: string): Element | undefined => {
    for (let at = el.parent; at && at !== page; at = at.parent) {
      if ('attribs' in at && hasClass(at, kind)) return at;
    }
    return undefined;
  };

  // Blocks in the order of their first line with text: a paragraph without any is left out.
  const blocks: TextBlock[] = [];
  const blockOf = new Map<Element, TextBlock & { lines: TextLine[] }>();
  for (const lineElement of DomUtils.findAll((el) => LINE_CLASSES.some((c) => hasClass(el, c)), page.children)) {
    const kind = LINE_CLASSES.find((c) => hasClass(lineElement, c))!;
    const lineId = identify(lineElement, kind);
    const lineWhere = `${kind}[@id="${lineId}"]`;
    const container = enclosing(lineElement, 'ocr_par') ?? enclosing(lineElement, 'ocr_carea');
    if (!container) return fail(lineWhere, 'is in no ocr_par or ocr_carea');
    let block = blockOf.get(container);
    if (!block) {
      const blockKind = hasClass(container, 'ocr_par') ? 'ocr_par' : 'ocr_carea';
      const id = identify(container, blockKind);
      const box = titleProperties(container.attribs.title ?? '').has('bbox') ? boxOf(container, `${blockKind}[@id="${id}"]`) : null;
      block = { id, box, lines: [] };
      blockOf.set(container, block);
    }

    const box = boxOf(lineElement, lineWhere);
    const wordElements = DomUtils.findAll((el) => hasClass(el, 'ocrx_word'), lineElement.children);
    const words = wordElements.flatMap((wordElement): Word[] => {
      const id = identify(wordElement, 'ocrx_word');
      const text = collapse(DomUtils.textContent(wordElement));
      return text === '' ? [] : [{ id, text, box: boxOf(wordElement, `ocrx_word[@id="${id}"]`) }];
    });
    const text = wordElements.length > 0 ? words.map((w) => w.text).join(' ') : collapse(DomUtils.textContent(lineElement));
    if (text === '') continue;
    if (block.lines.length === 0) blocks.push(block);
    block.lines.push({ id: lineId, text, box, words });
  }
  if (blocks.length === 0) fail('ocr_page', 'has no line with text');
  return { width, height, blocks };
}
