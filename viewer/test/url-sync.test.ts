import { describe, expect, it } from 'vitest';
import { searchFor } from '../src/url-sync.js';
import { pickLanguage } from '../src/locale.js';

describe('the address bar follows the view', () => {
  const view = { manifestId: 'm', canvasId: 'https://ex.org/c/l44', xywh: { x: 10, y: 20, w: 300, h: 40 } };

  it('writes canvas, region and language, and drops a consumed iiif-content', () => {
    const search = searchFor('?iiif-content=abc&manifest=m2', { view, language: 'en' });
    const params = new URLSearchParams(search);
    expect(params.get('iiif-content')).toBeNull();
    expect(params.get('manifest')).toBe('m2');
    expect(params.get('canvas')).toBe(view.canvasId);
    expect(params.get('xywh')).toBe('10,20,300,40');
    expect(params.get('lang')).toBe('en');
  });

  it('drops the region when the viewer has not drawn yet', () => {
    expect(new URLSearchParams(searchFor('?xywh=1,2,3,4', { view: { ...view, xywh: null }, language: 'ru' })).has('xywh')).toBe(false);
  });
});

describe('pickLanguage', () => {
  it.each([
    ['en', ['ru'], 'en'],
    [null, ['en-GB', 'ru'], 'en'],
    [null, ['de-DE', 'ru-RU'], 'ru'],
    [null, ['fr'], 'ru'],
    ['EN-us', [], 'en'],
  ] as const)('lang=%s, browser %j → %s', (param, browser, expected) => {
    expect(pickLanguage(param, browser)).toBe(expected);
  });
});
