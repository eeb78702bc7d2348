import { describe, expect, it } from 'vitest';
import { assetTags } from '../../src/viewer/assets.js';

describe('assetTags', () => {
  it('links the built files and preloads the JSON, every URL escaped', () => {
    const html = assetTags(
      { script: '/viewer/assets/a"><b>.js', styles: ['/viewer/assets/s"x.css'], preload: ['/viewer/assets/p&q.js'], icon: '/viewer/iiif-logo.svg' },
      ['https://h.example/m?a=1&b="2"'],
    );
    expect(html.split('\n    ')).toEqual([
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="https://h.example/m?a=1&#38;b=&#34;2&#34;">',
      '<link rel="stylesheet" href="/viewer/assets/s&#34;x.css">',
      '<link rel="modulepreload" href="/viewer/assets/p&#38;q.js">',
      '<script type="module" src="/viewer/assets/a&#34;&#62;&#60;b&#62;.js"></script>',
    ]);
  });
});
