import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../src/viewer/html.js';

describe('escapeHtml', () => {
  it('escapes every character that could end an element or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('jsonForScript', () => {
  it('cannot close the script element or open an HTML comment, and parses back to the same value', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'Q&A' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(jsonForScript({ a: '</script>' })).toBe('{"a":"\\u003c/script\\u003e"}');
  });
});
