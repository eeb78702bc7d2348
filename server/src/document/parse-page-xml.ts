/**
 * Reads a PAGE XML page (PRImA's page content schema, 2013-07-15 to 2019-07-15) as Transkribus,
 * eScriptorium, OCR-D and others write it: the page size, and TextRegion → TextLine → Word with
 * the bounding boxes of their polygons and their chosen TextEquiv.
 *
 * - Regions follow the page's ReadingOrder; regions it leaves out follow in document order.
 *   A TextRegion may hold TextRegions (2019): each becomes a block of its own, after its parent.
 *   Other kinds of region (images, tables, graphics…) are not text and are left out, except for
 *   the TextRegions inside them.
 * - `Coords` is read from its `points` attribute, or from `Point` children as some converters
 *   still write them; the block/line/word box is the polygon's bounding box.
 * - Of several TextEquivs the one with the lowest `index` is the text (the schema's rule), else the
 *   one with the highest `conf`, else the first. A line without Words keeps its own TextEquiv
 *   as its text and has no words; regions and lines without text are skipped.
 * - Ids are required by the schema and kept as they are, so translations and the table of
 *   contents point at the engine's region and line ids.
 * @see https://github.com/PRImA-Research-Lab/PAGE-XML
 */
import { DocumentDataError } from './document-error.js';
import type { Box, TextBlock, TextLine, Word } from './model.js';
import { attr, children, childrenOf, nameOf, qualifiedName, rootElement, textOf, type OrderedNode } from './ordered-xml.js';


export interface PageXmlPage {
  /** The file's namespace: names the schema version. */
  readonly namespace: string;
  readonly width: number;
  readonly height: number;
  readonly blocks: readonly TextBlock[];
}

const NAMESPACE_BASE = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/';
const NAMESPACE = /^http:\/\/schema\.primaresearch\.org\/PAGE\/gts\/pagecontent\/(\d{4}-\d{2}-\d{2})$/;
/** Since 2013-07-15 the parts read here are unchanged; the reader is not tested on the 2009 and 2010 versions. */
const OLDEST = '2013-07-15';

/** The text of an element's chosen TextEquiv, whitespace collapsed; undefined when it has none. */
function chosenText(node: OrderedNode): string | undefined {
  const equivs = children(node, 'TextEquiv');
  const numeric = (e: OrderedNode, name: string): number | undefined => {
    const raw = attr(e, name);
    const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(value) ? value : undefined;
  };
  const best = (key: (e: OrderedNode) => number | undefined, lowest: boolean): OrderedNode | undefined => {
    let chosen: OrderedNode | undefined;
    let chosenKey = 0;
    for (const e of equivs) {
      const k = key(e);
      if (k === undefined) continue;
      if (!chosen || (lowest ? k < chosenKey : k > chosenKey)) [chosen, chosenKey] = [e, k];
    }
    return chosen;
  };
  const chosen = best((e) => numeric(e, 'index'), true) ?? best((e) => numeric(e, 'conf'), false) ?? equivs[0];
  if (!chosen) return undefined;
  const unicode = children(chosen, 'Unicode')[0];
  return unicode ? textOf(unicode).replace(/\s+/g, ' ') : undefined;
}

/** Parses one PAGE XML file; `file` names it in errors. Throws DocumentDataError. */
export function parsePageXml(xml: string, file: string): PageXmlPage {
  const fail = (field: string, problem: string): never => {
    throw new DocumentDataError(file, field, problem);
  };
  const root = rootElement(xml, file, 'PcGts');
  const qualified = qualifiedName(root);
  const prefix = qualified.includes(':') ? qualified.slice(0, qualified.indexOf(':')) : '';
  const namespace = attr(root, prefix ? `xmlns:${prefix}` : 'xmlns') ?? '';
  const version = NAMESPACE.exec(namespace)?.[1];
  if (!version || version < OLDEST) {
    const found = namespace ? `"${namespace}"` : 'none';
    fail('PcGts/@xmlns', `must be the PAGE namespace of ${OLDEST} or later, e.g. "${NAMESPACE_BASE}2019-07-15" (found ${found})`);
  }

  const pages = children(root, 'Page');
  const page = pages.length === 1 ? pages[0] : undefined;
  if (!page) return fail('PcGts/Page', `must occur exactly once per leaf (found ${pages.length})`);
  const size = (name: string): number => {
    const raw = attr(page, name);
    if (raw === undefined) return fail(`PcGts/Page/@${name}`, 'is missing');
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
      return fail(`PcGts/Page/@${name}`, `must be a positive number (found "${raw}")`);
    }
    return Math.round(value);
  };
  const width = size('imageWidth');
  const height = size('imageHeight');

  const seen = new Set<string>();
  const identify = (node: OrderedNode, where: string): string => {
    const id = attr(node, 'id')?.trim();
    if (!id) return fail(`${where}/@id`, 'is missing');
    if (seen.has(id)) fail(`${where}/@id`, `"${id}" is used twice`);
    seen.add(id);
    return id;
  };

  /** The bounding box of an element's polygon. */
  const boxOf = (node: OrderedNode, where: string): Box => {
    const coords = children(node, 'Coords')[0] ?? fail(`${where}/Coords`, 'is missing');
    const points: [number, number][] = [];
    const raw = attr(coords, 'points');
    const coordinate = (value: string | undefined, field: string): number => {
      const n = value === undefined || value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(n) || n < 0) fail(field, `must be a non-negative number (found ${value === undefined ? 'none' : `"${value}"`})`);
      return n;
    };
    if (raw !== undefined) {
      for (const pair of raw.trim().split(/\s+/)) {
        const [x, y, extra] = pair.split(',');
        if (extra !== undefined || y === undefined) fail(`${where}/Coords/@points`, `must be "x,y" pairs separated by spaces (found "${pair}")`);
        points.push([coordinate(x, `${where}/Coords/@points`), coordinate(y, `${where}/Coords/@points`)]);
      }
    } else {
      children(coords, 'Point').forEach((p, i) => {
        const at = `${where}/Coords/Point[${i + 1}]`;
        points.push([coordinate(attr(p, 'x'), `${at}/@x`), coordinate(attr(p, 'y'), `${at}/@y`)]);
      });
    }
    if (points.length === 0) return fail(`${where}/Coords`, 'has no points');
    const xs = points.map(([x]) => Math.round(x));
    const ys = points.map(([, y]) => Math.round(y));
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    const box = { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
    if (box.x + box.w > width || box.y + box.h > height) {
      fail(`${where}/Coords`, `box ${box.x},${box.y},${box.w},${box.h} lies outside the ${width}×${height} page`);
    }
    return box;
  };

  // Every region of the page, nested ones included, in document order.
  interface Region {
    readonly node: OrderedNode;
    readonly id: string | undefined;
    readonly text: boolean;
    readonly inner: Region[];
  }
  const regionsById = new Map<string, Region>();
  const regionsIn = (node: OrderedNode, where: string): Region[] => {
    let textRegions = 0;
    return childrenOf(node)
      .filter((c) => nameOf(c).endsWith('Region'))
      .map((c) => {
        const text = nameOf(c) === 'TextRegion';
        // Only text regions must have ids here: a figure without one is ignored anyway.
        const id = text ? identify(c, `${where}TextRegion[${++textRegions}]`) : attr(c, 'id')?.trim() || undefined;
        if (!text && id !== undefined) {
          if (seen.has(id)) fail(`${nameOf(c)}[@id="${id}"]/@id`, `"${id}" is used twice`);
          seen.add(id);
        }
        const region: Region = { node: c, id, text, inner: [] };
        if (id !== undefined) regionsById.set(id, region);
        region.inner.push(...regionsIn(c, id === undefined ? `${where}${nameOf(c)}/` : `${nameOf(c)}[@id="${id}"]/`));
        return region;
      });
  };
  const topLevel = regionsIn(page, '');

  // The reading order, flattened: ordered groups by index, unordered ones as written.
  const readingOrder: string[] = [];
  const flatten = (group: OrderedNode, where: string): void => {
    const ordered = nameOf(group).startsWith('Ordered');
    const members = childrenOf(group)
      .map((node, position) => ({ node, position, name: nameOf(node) }))
      .filter(({ name }) => /^(RegionRef|RegionRefIndexed|OrderedGroup|OrderedGroupIndexed|UnorderedGroup|UnorderedGroupIndexed)$/.test(name));
    // XPath-like positions: the n-th member of that name.
    const positions = new Map<string, number>();
    const keyed = members.map((m) => {
      positions.set(m.name, (positions.get(m.name) ?? 0) + 1);
      const at = `${where}/${m.name}[${positions.get(m.name)}]`;
      if (!ordered) return { ...m, at, index: m.position };
      const raw = attr(m.node, 'index');
      const index = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isInteger(index) || index < 0) fail(`${at}/@index`, `must be a non-negative integer (found ${raw === undefined ? 'none' : `"${raw}"`})`);
      return { ...m, at, index };
    });
    keyed.sort((a, b) => a.index - b.index || a.position - b.position);
    for (const m of keyed) {
      if (m.name.startsWith('RegionRef')) {
        const ref = attr(m.node, 'regionRef')?.trim() ?? '';
        if (!regionsById.has(ref)) fail(`${m.at}/@regionRef`, `"${ref}" is not the id of a region of this page`);
        readingOrder.push(ref);
      } else {
        flatten(m.node, m.at);
      }
    }
  };
  const orderNode = children(page, 'ReadingOrder')[0];
  for (const group of orderNode ? childrenOf(orderNode) : []) {
    if (/^(OrderedGroup|UnorderedGroup)$/.test(nameOf(group))) flatten(group, `ReadingOrder/${nameOf(group)}`);
  }

  // Regions the reading order names come at their place, each followed by the inner regions it does not name.
  const named = new Set(readingOrder);
  const ordered: Region[] = [];
  const placed = new Set<Region>();
  const place = (region: Region): void => {
    if (placed.has(region)) return;
    placed.add(region);
    ordered.push(region);
    for (const inner of region.inner) if (!inner.id || !named.has(inner.id)) place(inner);
  };
  for (const id of readingOrder) place(regionsById.get(id)!);
  for (const region of topLevel) place(region);

  const blocks: TextBlock[] = [];
  for (const region of ordered) {
    if (!region.text) continue;
    const blockId = region.id!;
    const blockWhere = `TextRegion[@id="${blockId}"]`;
    const box = boxOf(region.node, blockWhere);
    const lines = children(region.node, 'TextLine').flatMap((lineNode, l): TextLine[] => {
      const lineId = identify(lineNode, `${blockWhere}/TextLine[${l + 1}]`);
      const lineWhere = `TextLine[@id="${lineId}"]`;
      const lineBox = boxOf(lineNode, lineWhere);
      const words = children(lineNode, 'Word').map((wordNode, w): Word => {
        const wordId = identify(wordNode, `${lineWhere}/Word[${w + 1}]`);
        const wordWhere = `Word[@id="${wordId}"]`;
        const text = chosenText(wordNode);
        if (!text) return fail(`${wordWhere}/TextEquiv/Unicode`, 'is missing or empty');
        return { id: wordId, text, box: boxOf(wordNode, wordWhere) };
      });
      const text = words.length > 0 ? words.map((w) => w.text).join(' ') : (chosenText(lineNode) ?? '');
      return text === '' ? [] : [{ id: lineId, text, box: lineBox, words }];
    });
    if (lines.length > 0) blocks.push({ id: blockId, box, lines });
  }
  if (blocks.length === 0) fail('PcGts/Page', 'has no TextRegion with text');
  return { namespace, width, height, blocks };
}
