import { describe, expect, it } from 'vitest';
import { decodeContentState, parseContentStateParam, targetFromContentState } from '../../src/content-state.js';
import { contentStateLink, viewLink } from '../../src/share/links.js';

const ctx = { pageUrl: 'https://ex.org/cable/', defaultManifest: 'https://ex.org/m' };
const view = { manifestId: 'https://ex.org/m', canvasId: 'https://ex.org/c/l43', xywh: { x: 1, y: 2, w: 30, h: 40 }, language: 'ru' };

describe('Share links', () => {
  it('links the page at the leaf and region, naming the manifest only when it is not ours', () => {
    const link = new URL(viewLink(ctx, view));
    expect(link.origin + link.pathname).toBe(ctx.pageUrl);
    expect(Object.fromEntries(link.searchParams)).toEqual({ canvas: view.canvasId, xywh: '1,2,30,40', lang: 'ru' });
    expect(new URL(viewLink(ctx, { ...view, manifestId: 'https://o.org/m' })).searchParams.get('manifest')).toBe('https://o.org/m');
  });

  it('encodes the same view as a content state that decodes back to it', () => {
    const param = new URL(contentStateLink(ctx, view)).searchParams.get('iiif-content')!;
    expect(param).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(decodeContentState(param))).toMatchObject({ type: 'Annotation', motivation: ['contentState'] });
    const parsed = parseContentStateParam(param);
    expect(parsed.kind === 'json' && targetFromContentState(parsed.value)).toEqual({ manifestId: view.manifestId, canvasId: view.canvasId, xywh: view.xywh });
  });
});
