import type { Range, RangeItems } from '@iiif/presentation-3';
import type { Section } from '../document/model.js';
import { imageOf, type BuildInput } from './build-input.js';
import { documentIds, xywh } from './ids.js';
import { labels } from './labels.js';
import { lang } from './language.js';
import { regionOf } from './leaf-regions.js';

/** The id of the range holding the whole table of contents. */
export const contentsRangeId = 'toc';

/** Where a section is on the page images: one canvas reference (region or whole) per leaf it touches. */
export function sectionCanvases(input: BuildInput, version: 2 | 3, targets: readonly string[]): string[] {
  const ids = documentIds(input.base, version, input.document.id);
  const out: string[] = [];
  for (const leaf of input.document.leaves) {
    const region = regionOf(leaf, targets, imageOf(input, leaf.id));
    if (region === undefined) continue;
    out.push(region ? xywh(ids.canvas(leaf.id), region) : ids.canvas(leaf.id));
  }
  return out;
}

function sectionRange(input: BuildInput, section: Section): Range {
  const ids = documentIds(input.base, 3, input.document.id);
  const items: RangeItems[] = [
    ...sectionCanvases(input, 3, section.targets).map((id) => ({ id, type: 'Canvas' as const })),
    ...section.items.map((child) => sectionRange(input, child)),
  ];
  return { id: ids.range(section.id), type: 'Range', label: lang(section.label), items };
}

/**
 * `structures` (recipe 0024): one range «Содержание / Contents» holding the cable's sections,
 * each pointing at the canvas regions of the blocks and lines it covers.
 */
export function buildStructures(input: BuildInput): Range[] {
  const { contents } = input.document;
  if (contents.length === 0) return [];
  const ids = documentIds(input.base, 3, input.document.id);
  return [
    {
      id: ids.range(contentsRangeId),
      type: 'Range',
      label: labels.contents,
      items: contents.map((section) => sectionRange(input, section)),
    },
  ];
}

/** Every range in the tree, outermost first, for dereferencing each by its id. */
export function allRanges(ranges: readonly Range[]): Range[] {
  return ranges.flatMap((range) => [
    range,
    ...allRanges((range.items ?? []).filter((i): i is Range => typeof i === 'object' && i.type === 'Range')),
  ]);
}
