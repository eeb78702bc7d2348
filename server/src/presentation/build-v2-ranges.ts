import type { Section } from '../document/model.js';
import type { BuildInput } from './build-input.js';
import { contentsRangeId, sectionCanvases } from './build-structures.js';
import { documentIds } from './ids.js';
import { labels } from './labels.js';
import { lang, v2Values } from './language.js';
import type { V2Resource } from './v2-resource.js';

/** The table of contents in 2.1: a `top` range and one range per section, flat, linked by id. */
export function buildRanges2(input: BuildInput): V2Resource[] {
  const ids = documentIds(input.base, 2, input.document.id);
  const out: V2Resource[] = [];
  const visit = (section: Section) => {
    out.push({
      '@id': ids.range(section.id),
      '@type': 'sc:Range',
      label: v2Values(lang(section.label)),
      canvases: sectionCanvases(input, 2, section.targets),
      ...(section.items.length > 0 ? { ranges: section.items.map((child) => ids.range(child.id)) } : {}),
    });
    section.items.forEach(visit);
  };
  if (input.document.contents.length === 0) return out;
  out.push({
    '@id': ids.range(contentsRangeId),
    '@type': 'sc:Range',
    label: v2Values(labels.contents),
    viewingHint: 'top',
    ranges: input.document.contents.map((s) => ids.range(s.id)),
  });
  input.document.contents.forEach(visit);
  return out;
}

