import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './a11y-setup.js';
import { contains, screenBoxOf, viewerSettled, windowView } from './page-helpers.js';

// The document's text is in the page itself: readable without JavaScript, printable without the
// viewer, and, once the viewer runs, a click on a line shows that line on the image.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

const visible = (page: import('playwright-core').Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed').length);

describe('the reading view', { timeout: 90_000 }, () => {
  it('shows every leaf’s transcription and translation with JavaScript switched off', async (t) => {
    const page = await stack.open(t, { javaScriptEnabled: false, locale: 'ru-RU' });
    await page.goto(`${stack.server.url}/`, { timeout: 60_000 });
    expect(await page.evaluate(() => typeof (window as unknown as { mirador?: unknown }).mirador)).toBe('undefined');
    const l43 = stack.cable.leaves[0]!;
    const firstLine = page.locator('.rv-line').first();
    expect(await firstLine.textContent()).toBe(l43.transcription.blocks[0]!.lines[0]!.text);
    expect(await firstLine.isVisible()).toBe(true);
    // The empty viewer box collapses: the text starts on the first screen.
    expect((await firstLine.boundingBox())!.y).toBeLessThan(900);
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(
      stack.cable.leaves.map((l) => expect.stringContaining(l.label.ru![0]!)),
    );
    const lines = stack.cable.leaves.flatMap((l) => l.transcription.blocks.flatMap((b) => b.lines));
    expect(await visible(page, '.rv-line')).toBe(lines.length);
    const paragraphs = stack.cable.leaves.flatMap((l) => l.translation?.paragraphs ?? []);
    expect(await page.locator('.rv-translation p[data-id]').allTextContents()).toEqual(paragraphs.map((p) => p.text));
    expect(await page.locator('.rv-translation').first().getAttribute('lang')).toBe('en');
    // The empty viewer box says where the text is.
    expect(await page.locator('.noscript a').isVisible()).toBe(true);
  });

  it('prints the text, the metadata and the citation, and none of the viewer', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.viewer-frame', '.skip-links', '.lang-switch', '#embed-snippet', '#iiif-drag']) {
      expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
    }
    for (const shown of ['.rv-line', '.rv-translation p', '.page-details dl', '.citation', 'h1']) {
      expect(await page.locator(shown).first().isVisible(), shown).toBe(true);
    }
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
  });

  it('opens a clicked line of another leaf in the viewer, zoomed to it', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    const l45 = stack.cable.leaves[2]!;
    const line = l45.transcription.blocks[1]!.lines[0]!;
    await page.locator(`#text-${l45.id} .rv-line[data-id="${line.id}"]`).click();
    await expect.poll(async () => (await windowView(page)).canvasId, { timeout: 30_000 }).toMatch(/\/canvas\/l45$/);
    await viewerSettled(page);
    await expect.poll(async () => {
      const viewer = (await page.locator('.openseadragon-container').boundingBox())!;
      const shown = await screenBoxOf(page, line.box!);
      return contains({ x: viewer.x, y: viewer.y, w: viewer.width, h: viewer.height }, shown) && shown.w > viewer.width * 0.5;
    }, { timeout: 20_000 }).toBe(true);
    // Keyboard focus is in the viewer, before its zoom and leaf buttons.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('mirador-osd-container'))).toBe(true);
  });
});
