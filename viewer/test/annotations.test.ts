import { describe, expect, it } from 'vitest';
import { inLayer, itemsFromAnnotationPage } from '../src/annotations.js';
import { canvas, enPage, ruPage } from './fixtures.js';

describe('itemsFromAnnotationPage', () => {
  it('reads supplementing TextualBody annotations with their language, region and granularity', () => {
    const items = itemsFromAnnotationPage(ruPage);
    expect(items.map((i) => i.text)).toEqual([
      'Товарищ Филиппов!',
      'Что касается переговоров о прекращении',
      'военных действий в Корее, то в ходе двух',
    ]);
    expect(items[0]).toMatchObject({ canvasId: canvas('l43'), language: 'ru', box: { x: 300, y: 400, w: 900, h: 60 }, granularity: 'line' });
  });

  it('skips commenting annotations and malformed items', () => {
    const page = { type: 'AnnotationPage', items: [null, 3, { motivation: 'supplementing' }, ...((ruPage as { items: unknown[] }).items as never[])] };
    expect(itemsFromAnnotationPage(page as never)).toHaveLength(3);
    expect(itemsFromAnnotationPage(undefined)).toEqual([]);
  });

  it('reads SpecificResource targets (recipe 0068) and whole-canvas targets', () => {
    const page = {
      items: [
        {
          id: 'a1',
          motivation: ['supplementing'],
          body: [{ type: 'TextualBody', value: '<p>Мао <b>Цзэдун</b></p>', format: 'text/html', language: ['ru'] }],
          target: { type: 'SpecificResource', source: { id: canvas('l45'), type: 'Canvas' }, selector: { type: 'FragmentSelector', value: 'xywh=1,2,3,4' } },
        },
        { id: 'a2', motivation: 'supplementing', body: { type: 'TextualBody', value: 'whole' }, target: canvas('l45') },
      ],
    };
    const [a, b] = itemsFromAnnotationPage(page);
    expect(a).toMatchObject({ canvasId: canvas('l45'), text: 'Мао Цзэдун', language: 'ru', box: { x: 1, y: 2, w: 3, h: 4 } });
    expect(b).toMatchObject({ canvasId: canvas('l45'), box: null, language: '' });
  });

  it('sorts items into layers by language tag', () => {
    const [en] = itemsFromAnnotationPage(enPage);
    expect(inLayer(en!, 'en')).toBe(true);
    expect(inLayer({ ...en!, language: 'en-GB' }, 'en')).toBe(true);
    expect(inLayer(en!, 'ru')).toBe(false);
  });
});
