import type { Json } from '../src/content-state.js';
import type { MiradorState } from '../src/selectors.js';

export const manifestId = 'https://example.org/iiif/presentation/3/doc/manifest';
export const canvas = (leaf: string) => `https://example.org/iiif/presentation/3/doc/canvas/${leaf}`;

const anno = (layer: string, leaf: string, id: string, text: string, language: string, target: string, granularity: string): Json => ({
  id: `https://example.org/iiif/presentation/3/doc/annotations/${layer}/${leaf}/${id}`,
  type: 'Annotation',
  motivation: 'supplementing',
  textGranularity: granularity,
  body: { type: 'TextualBody', value: text, format: 'text/plain', language },
  target,
});

/** Two Russian paragraphs of two lines each, and their two English paragraphs, on leaf l43 (shapes as our manifests emit them). */
export const ruPage: Json = {
  id: 'https://example.org/iiif/presentation/3/doc/annotations/transcription/l43',
  type: 'AnnotationPage',
  items: [
    anno('transcription', 'l43', 'b1l1', 'Товарищ Филиппов!', 'ru', `${canvas('l43')}#xywh=300,400,900,60`, 'line'),
    anno('transcription', 'l43', 'b2l1', 'Что касается переговоров о прекращении', 'ru', `${canvas('l43')}#xywh=300,520,2400,60`, 'line'),
    anno('transcription', 'l43', 'b2l2', 'военных действий в Корее, то в ходе двух', 'ru', `${canvas('l43')}#xywh=300,590,2400,60`, 'line'),
    { id: 'x', type: 'Annotation', motivation: 'commenting', body: { type: 'TextualBody', value: 'a note' }, target: canvas('l43') },
  ],
};

export const enPage: Json = {
  id: 'https://example.org/iiif/presentation/3/doc/annotations/translation/l43',
  type: 'AnnotationPage',
  items: [
    anno('translation', 'l43', 'p1', 'Comrade Filippov!', 'en', `${canvas('l43')}#xywh=300,400,900,60`, 'paragraph'),
    anno('translation', 'l43', 'p2', 'Concerning the negotiations about a cessation of military operations…', 'en', `${canvas('l43')}#xywh=300,520,2400,130`, 'paragraph'),
  ],
};

export function miradorState(overrides: Partial<MiradorState> = {}): MiradorState {
  return {
    windows: { w1: { manifestId, canvasId: canvas('l43'), visibleCanvases: [canvas('l43')] } },
    annotations: {
      [canvas('l43')]: {
        [(ruPage as { id: string }).id]: { json: ruPage },
        [(enPage as { id: string }).id]: { json: enPage },
      },
    },
    manifests: {
      [manifestId]: {
        json: {
          id: manifestId,
          type: 'Manifest',
          items: ['l43', 'l44', 'l45'].map((l) => ({ id: canvas(l), type: 'Canvas', width: 3300, height: 4700 })),
        },
      },
    },
    config: { language: 'ru' },
    ...overrides,
  };
}
