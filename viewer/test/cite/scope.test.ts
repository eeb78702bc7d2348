import { describe, expect, it } from 'vitest';
import { citeScope, type CiteProps } from '../../src/cite/scope.js';
import { decodeContentState } from '../../src/content-state.js';

const context = { pageUrl: 'https://ex.org/cable/', defaultManifest: 'https://ex.org/m' };
const citation = {
  files: { json: 'https://ex.org/cite.json', bib: 'https://ex.org/cite.bib', ris: 'https://ex.org/cite.ris' },
  document: { chicago: 'C doc', gost: 'G doc' },
  leaves: { 'https://ex.org/c/l43': { label: 'l. 43', chicago: 'C l43', gost: 'G l43', line: { chicago: 'C line, {link}.', gost: 'G line URL: {link}' } } },
};
const props: CiteProps = { citation, context, manifestId: 'https://ex.org/m', canvasId: 'https://ex.org/c/l43', lineCanvas: 'https://ex.org/c/l43', lineXywh: '1,2,30,40' };
const target = (link: string) => (JSON.parse(decodeContentState(new URL(link).searchParams.get('iiif-content')!)) as { target: { id: string } }).target.id;

describe('Cite this scopes', () => {
  it('gives the document’s texts without a link', () => {
    expect(citeScope(props, 'document')).toEqual({ texts: citation.document });
  });

  it('gives the leaf’s texts and a Content State link to the whole canvas', () => {
    const leaf = citeScope(props, 'leaf')!;
    expect(leaf.texts).toMatchObject({ chicago: 'C l43', gost: 'G l43' });
    expect(target(leaf.link!)).toBe('https://ex.org/c/l43');
  });

  it('fills the line’s Content State link, to its region, into the line texts', () => {
    const line = citeScope(props, 'line')!;
    expect(target(line.link!)).toBe('https://ex.org/c/l43#xywh=1,2,30,40');
    expect(line.texts).toEqual({ chicago: `C line, ${line.link}.`, gost: `G line URL: ${line.link}` });
  });

  it('has no line scope until a line is chosen, and no leaf scope for a canvas it has no citation for', () => {
    expect(citeScope({ ...props, lineCanvas: undefined }, 'line')).toBeNull();
    expect(citeScope({ ...props, canvasId: 'https://ex.org/c/other' }, 'leaf')).toBeNull();
  });
});
