import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/content-state.js';
import { downloadsOf, labelText } from '../../src/downloads/downloads.js';

const base = 'https://example.org/iiif/presentation';
const manifest3: Json = {
  id: `${base}/3/doc/manifest`,
  type: 'Manifest',
  label: { en: ['A cable'], ru: ['Телеграмма'] },
  rendering: [
    { id: `${base}/doc/files/doc.pdf`, type: 'Text', format: 'application/pdf', label: { en: ['PDF of the document'], ru: ['Документ в PDF'] } },
    { id: `${base}/doc/files/transcription.txt`, type: 'Text', format: 'text/plain', label: { en: ['Transcription, plain text'] } },
  ],
  items: [
    {
      id: `${base}/3/doc/canvas/l43`,
      type: 'Canvas',
      label: { en: ['f. 43'], ru: ['л. 43'] },
      rendering: [{ id: `${base}/doc/files/l43.pdf`, type: 'Text', format: 'application/pdf', label: { en: ['PDF of the leaf'] } }],
      items: [
        {
          id: `${base}/3/doc/page/l43`,
          type: 'AnnotationPage',
          items: [{ id: 'a', type: 'Annotation', motivation: 'painting', body: { id: 'https://example.org/iiif/3/l43/full/max/0/default.jpg', type: 'Image', format: 'image/jpeg' }, target: `${base}/3/doc/canvas/l43` }],
        },
      ],
    },
  ],
};

describe('the download menu reads what the manifest links', () => {
  it('offers the manifest renderings for the document, in the reader’s language', () => {
    const { document } = downloadsOf(manifest3, undefined, 'ru');
    expect(document.map((d) => [d.label, d.format])).toEqual([
      ['Документ в PDF', 'application/pdf'],
      // No Russian label: the first language of the map.
      ['Transcription, plain text', 'text/plain'],
    ]);
  });

  it('offers the current leaf’s renderings, then the image painted on it', () => {
    const { leaf } = downloadsOf(manifest3, `${base}/3/doc/canvas/l43`, 'en');
    expect(leaf?.label).toBe('f. 43');
    expect(leaf?.files).toEqual([
      { href: `${base}/doc/files/l43.pdf`, label: 'PDF of the leaf', format: 'application/pdf', kind: 'rendering' },
      { href: 'https://example.org/iiif/3/l43/full/max/0/default.jpg', label: 'JPEG', format: 'image/jpeg', kind: 'image' },
    ]);
  });

  it('reads a Presentation 2.1 manifest too', () => {
    const manifest2: Json = {
      '@id': `${base}/2/doc/manifest`,
      '@type': 'sc:Manifest',
      rendering: { '@id': `${base}/doc/files/doc.pdf`, format: 'application/pdf', label: [{ '@value': 'PDF', '@language': 'en' }, { '@value': 'ПДФ', '@language': 'ru' }] },
      sequences: [
        {
          canvases: [
            {
              '@id': `${base}/2/doc/canvas/l43`,
              label: 'f. 43',
              images: [{ resource: { '@id': 'https://example.org/iiif/2/l43/full/full/0/default.jpg', '@type': 'dctypes:Image', format: 'image/jpeg' } }],
            },
          ],
        },
      ],
    };
    const found = downloadsOf(manifest2, `${base}/2/doc/canvas/l43`, 'ru');
    expect(found.document.map((d) => d.label)).toEqual(['ПДФ']);
    expect(found.leaf?.files.map((f) => [f.href, f.kind])).toEqual([['https://example.org/iiif/2/l43/full/full/0/default.jpg', 'image']]);
  });

  it('ignores links it cannot offer and canvases it does not know', () => {
    const odd: Json = { id: 'm', type: 'Manifest', rendering: [{ id: 'javascript:alert(1)', type: 'Text' }, 'not a link', { type: 'Text' }], items: [] };
    expect(downloadsOf(odd, 'nowhere', 'en')).toEqual({ document: [], leaf: null });
    expect(downloadsOf(undefined, undefined, 'en')).toEqual({ document: [], leaf: null });
  });

  it('falls back to the media type, then the address, when a rendering has no label', () => {
    const bare: Json = { id: 'm', type: 'Manifest', rendering: [{ id: 'https://example.org/a.pdf', format: 'application/pdf' }, { id: 'https://example.org/b' }] };
    expect(downloadsOf(bare, undefined, 'en').document.map((d) => d.label)).toEqual(['PDF', 'https://example.org/b']);
    expect(labelText({ none: ['x'] }, 'en')).toBe('x');
  });
});
