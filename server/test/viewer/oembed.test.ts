import { describe, expect, it } from 'vitest';
import { oembed } from '../../src/viewer/oembed.js';

const site = { base: 'https://archive.example/cable', title: (l: 'ru' | 'en') => (l === 'en' ? 'Cable No. 21756' : 'Шифртелеграмма № 21756'), providerName: 'RGASPI' };

describe('oEmbed 1.0 (rich)', () => {
  it('answers a document page URL with an iframe of /embed carrying the view', () => {
    const r = oembed({ url: 'https://archive.example/cable/?canvas=c1&xywh=1,2,3,4&lang=en', format: 'json' }, site);
    expect(r).toMatchObject({ version: '1.0', type: 'rich', title: 'Cable No. 21756', provider_name: 'RGASPI', provider_url: 'https://archive.example/cable/', width: 800, height: 600 });
    expect(r.html).toMatch(/^<iframe src="https:\/\/archive\.example\/cable\/embed\?canvas=c1&#38;xywh=1%2C2%2C3%2C4&#38;lang=en" width="800" height="600"/);
    expect(r.html).toContain('title="Cable No. 21756"');
  });

  it('answers /embed URLs too and honours maxwidth/maxheight', () => {
    const r = oembed({ url: 'https://archive.example/cable/embed', maxwidth: '400', maxheight: '300' }, site);
    expect([r.width, r.height, r.title]).toEqual([400, 300, 'Шифртелеграмма № 21756']);
  });

  it('caps the frame at 1600 px however large the consumer allows', () => {
    const wide = oembed({ url: 'https://archive.example/cable/', maxwidth: '4000' }, site);
    expect([wide.width, wide.height]).toEqual([1600, 1200]);
    expect(wide.html).toContain('width="1600" height="1200"');
    const huge = oembed({ url: 'https://archive.example/cable/', maxwidth: '99999', maxheight: '99999' }, site);
    expect([huge.width, huge.height]).toEqual([1600, 1600]);
  });

  it.each([
    [{ format: 'xml', url: 'https://archive.example/cable/' }, 501],
    [{ format: 'json' }, 400],
    [{ url: '' }, 400],
    [{ url: 'not a url' }, 400],
    [{ url: 'https://archive.example/cable/', maxwidth: '-5' }, 400],
    [{ url: 'https://archive.example/cable/', maxheight: '1e9' }, 400],
    [{ url: 'https://elsewhere.example/cable/' }, 404],
    [{ url: 'https://archive.example/other' }, 404],
    [{ url: 'https://archive.example/cable/iiif/3/x/info.json' }, 404],
    [{ url: 'http://archive.example/cable/' }, 404],
  ])('%j → %i', (query, status) => {
    expect(() => oembed(query, site)).toThrow(expect.objectContaining({ status }));
  });
});
