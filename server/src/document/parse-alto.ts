/**
 * Reads an ALTO (v2–v4) page as HTR and OCR engines write it, keeping only what the product
 * relies on: the page size, and TextBlock → TextLine → String with pixel boxes and CONTENT.
 * Blocks are taken in document order from the print space and the margins, including those
 * inside ComposedBlocks. Missing ids are generated with the same scheme as plain text.
 * @see https://www.loc.gov/standards/alto/
 */
import { DocumentDataError } from './document-error.js';
import type { Box, TextBlock, TextLine, Word } from './model.js';
import { children, childrenOf, nameOf, rootElement, textOf, type OrderedNode } from './ordered-xml.js';


export interface AltoPage {
  readonly width: number;
  readonly height: number;
  readonly blocks: readonly TextBlock[];
}

const PAGE_AREAS = new Set(['TopMargin', 'LeftMargin', 'RightMargin', 'BottomMargin', 'PrintSpace']);

/** Parses one ALTO file; `file` names it in errors. Throws DocumentDataError. */
export function parseAlto(xml: string, file: string, leafId: string): AltoPage {
  const fail = (field: string, problem: string): never => {
    throw new DocumentDataError(file, field, problem);
  };
  const alto = rootElement(xml, file, 'alto');

  const description = children(alto, 'Description')[0];
  const unit = description ? children(description, 'MeasurementUnit')[0] : undefined;
  const unitValue = unit ? textOf(unit) : '';
  if (unitValue !== 'pixel') {
    fail('alto/Description/MeasurementUnit', `must be "pixel" (found ${unitValue ? `"${unitValue}"` : 'none'})`);
  }
  const layout = children(alto, 'Layout')[0] ?? fail('alto/Layout', 'is missing');
  const pages = children(layout, 'Page');
  const page = pages.length === 1 ? pages[0] : undefined;
  if (!page) return fail('alto/Layout/Page', `must occur exactly once per leaf (found ${pages.length})`);

  const number = (node: OrderedNode, attr: string, where: string, positive: boolean): number => {
    const raw = node[':@']?.[attr];
    if (raw === undefined) return fail(`${where}/@${attr}`, 'is missing');
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
      return fail(`${where}/@${attr}`, `must be a ${positive ? 'positive' : 'non-negative'} number (found "${raw}")`);
    }
    return Math.round(value);
  };
  const width = number(page, 'WIDTH', 'alto/Layout/Page', true);
  const height = number(page, 'HEIGHT', 'alto/Layout/Page', true);

  const seen = new Set<string>();
  const identify = (node: OrderedNode, fallback: string, where: string): string => {
    const id = node[':@']?.ID?.trim() || fallback;
    if (seen.has(id)) fail(`${where}/@ID`, `"${id}" is used twice`);
    seen.add(id);
    return id;
  };
  const boxOf = (node: OrderedNode, where: string): Box => {
    const box = {
      x: number(node, 'HPOS', where, false),
      y: number(node, 'VPOS', where, false),
      w: number(node, 'WIDTH', where, false),
      h: number(node, 'HEIGHT', where, false),
    };
    if (box.x + box.w > width || box.y + box.h > height) {
      fail(where, `box ${box.x},${box.y},${box.w},${box.h} lies outside the ${width}×${height} page`);
    }
    return box;
  };

  const textBlocks: OrderedNode[] = [];
  const collect = (node: OrderedNode): void => {
    for (const child of childrenOf(node)) {
      const name = nameOf(child);
      if (name === 'TextBlock') textBlocks.push(child);
      else if (name === 'ComposedBlock' || PAGE_AREAS.has(name)) collect(child);
    }
  };
  collect(page);

  const blocks = textBlocks.map((blockNode, b): TextBlock => {
    const blockId = identify(blockNode, `${leafId}-b${b + 1}`, `TextBlock[${b + 1}]`);
    const blockWhere = `TextBlock[ID="${blockId}"]`;
    const lines = children(blockNode, 'TextLine').map((lineNode, l): TextLine => {
      const lineId = identify(lineNode, `${blockId}-l${l + 1}`, `${blockWhere}/TextLine[${l + 1}]`);
      const lineWhere = `TextLine[ID="${lineId}"]`;
      const box = boxOf(lineNode, lineWhere);
      const words = children(lineNode, 'String').map((wordNode, w): Word => {
        const fallback = `${lineId}-w${w + 1}`;
        const wordWhere = `${lineWhere}/String[${w + 1}]`;
        const text = wordNode[':@']?.CONTENT;
        if (text === undefined || text.trim() === '') return fail(`${wordWhere}/@CONTENT`, 'is missing or empty');
        return { id: identify(wordNode, fallback, wordWhere), text, box: boxOf(wordNode, wordWhere) };
      });
      const hyphen = children(lineNode, 'HYP').length > 0 ? '-' : '';
      return { id: lineId, text: words.map((w) => w.text).join(' ') + hyphen, box, words };
    });
    const hasBox = blockNode[':@']?.HPOS !== undefined;
    return { id: blockId, box: hasBox ? boxOf(blockNode, blockWhere) : null, lines };
  });
  if (blocks.length === 0) fail('alto/Layout/Page', 'has no TextBlock');
  return { width, height, blocks };
}
