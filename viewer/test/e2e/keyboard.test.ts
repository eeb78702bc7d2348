import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { settleTooltips, startStack, type Stack } from './a11y-setup.js';
import { focused, tabsUntil, type FocusedElement } from './focus.js';
import { viewerSettled } from './page-helpers.js';

// The page with a keyboard only: skip links first, the viewer's zoom and leaf buttons a few Tab
// presses from its start, and a visible focus ring of at least 3:1 contrast on every stop.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

const named = (name: string) => (f: FocusedElement) => f.name.endsWith(`"${name}"`);

describe('keyboard', { timeout: 90_000 }, () => {
  it('starts with a visible "skip to the document text" link that moves focus to the text', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 60_000 });
    await page.keyboard.press('Tab');
    expect((await focused(page))?.name).toBe('a "Skip to the document text"');
    const box = (await page.locator('.skip-links a').first().boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.height).toBeGreaterThan(10);
    await page.keyboard.press('Tab');
    expect((await focused(page))?.name).toBe('a "Skip to the image viewer"');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reading-view');
    // Tabbing on from the text goes to what follows it, not back to the viewer.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('#viewer'))).toBeNull();
  });

  it('starts the embed with the same two skip links: the text is its transcript panel, the viewer lands before zoom', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    await page.keyboard.press('Tab');
    const first = (await focused(page))!;
    expect(first.name).toBe('a "Skip to the document text"');
    expect(first.ring && first.contrast >= 3).toBe(true);
    const box = (await page.locator('.skip-links a').first().boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Tab');
    expect((await focused(page))?.name).toBe('a "Skip to the image viewer"');
    await page.keyboard.press('Enter');
    expect(await tabsUntil(page, named('Zoom in'), 10)).toBeLessThanOrEqual(10);

    // The embed has no reading view: its text is the transcript panel, opened at the leaf's first line.
    await page.keyboard.press('Shift+Tab');
    await page.locator('a[data-skip="transcript"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.className ?? '')).toContain('tx-panel-line');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(stack.cable.leaves[0]!.transcription.blocks[0]!.lines[0]!.text);
    // The page stayed where it was, and no tab was opened.
    expect(new URL(page.url()).pathname).toBe('/embed');
    expect(page.context().pages()).toHaveLength(1);
  });

  it('reaches zoom and the next-leaf button within 10 Tab stops of the viewer’s start', async (t) => {
    const page = await stack.open(t, { locale: 'ru-RU' });
    await page.goto(`${stack.server.url}/`, { timeout: 60_000 });
    await viewerSettled(page);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.name).toBe('a "Перейти к просмотру изображений"');
    await page.keyboard.press('Enter');
    const zoom = await tabsUntil(page, named('Увеличить'), 10);
    expect(zoom).toBeLessThanOrEqual(10);
    const next = zoom + (await tabsUntil(page, named('Следующий лист'), 10));
    expect(next).toBeLessThanOrEqual(10);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.openseadragon-canvas').getAttribute('aria-label')).toBe('л. 44');
  });

  it('takes the transcript panel in one Tab stop and moves between its lines with the arrow keys', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    const lines = page.locator('.tx-panel-line');
    await lines.first().waitFor();
    const inPanel = (f: FocusedElement) => /tx-panel-(line|paragraph)/.test(f.classes);
    expect(await tabsUntil(page, inPanel, 30)).toBeLessThanOrEqual(30);
    const focusedId = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id);
    expect(await focusedId()).toBe(await lines.nth(0).getAttribute('data-id'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusedId()).toBe(await lines.nth(2).getAttribute('data-id'));
    await page.keyboard.press('ArrowRight');
    expect((await focused(page))?.classes).toContain('tx-panel-paragraph');
    // The next Tab leaves the panel; Shift+Tab comes back to the line last visited.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab');
    expect(inPanel((await focused(page))!)).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page))?.classes).toContain('tx-panel-line');
    // Enter shows the line on the image (the panel's line becomes the focused one there too).
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.tx-focus').count()).toBe(1);
  });

  it('shows a focus ring of at least 3:1 contrast on every Tab stop, the thumbnail strip included', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    const stops: FocusedElement[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (!f || (stops.length > 0 && f.name === stops[0]!.name)) break;
      stops.push(f);
    }
    expect(stops.length).toBeGreaterThan(30);
    expect(stops.some((s) => s.classes.includes('mirador-thumb-navigation'))).toBe(true);
    expect(stops.some((s) => s.classes.includes('openseadragon-canvas'))).toBe(true);
    const faint = stops.filter((s) => !s.ring || s.contrast < 3);
    expect(faint).toEqual([]);
  });

  it('zooms without animation when the reader prefers reduced motion', async (t) => {
    const page = await stack.open(t, { reducedMotion: 'reduce' });
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    const zoom = (current: boolean) =>
      page.evaluate((c) => (window as unknown as { miradorOsd: () => { viewport: { getZoom(c: boolean): number } } }).miradorOsd().viewport.getZoom(c), current);
    const before = await zoom(true);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    // The very next frame already shows the target zoom: no spring animation in between.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await zoom(true)).toBeGreaterThan(before * 1.5);
    expect(await zoom(true)).toBeCloseTo(await zoom(false), 6);
  });

  it('lists the keyboard shortcuts in a dialog, and the image keys it lists do what it says', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const row = (action: string) => dialog.getByRole('row').filter({ hasText: action }).locator('kbd').allTextContents();
    expect(await row('Zoom in')).toEqual(['=', 'Shift+↑']);
    expect(await row('Show the whole leaf')).toEqual(['0']);
    // axe measures contrast as painted: once the dialog has faded in and the tooltip out.
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.MuiDialog-container')!).opacity === '1');
    await settleTooltips(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => button.evaluate((b) => b === document.activeElement)).toBe(true);

    type V = { viewport: { getZoom(c?: boolean): number; getRotation(c?: boolean): number; getFlip(): boolean } };
    const view = () =>
      page.evaluate(() => {
        const v = (window as unknown as { miradorOsd: () => V }).miradorOsd().viewport;
        return { zoom: v.getZoom(false), rotation: v.getRotation(false), flip: v.getFlip() };
      });
    const home = await view();
    await page.locator('.openseadragon-canvas').focus();
    await page.keyboard.press('=');
    await expect.poll(async () => (await view()).zoom).toBeGreaterThan(home.zoom * 1.05);
    await page.keyboard.press('0');
    await expect.poll(async () => (await view()).zoom).toBeCloseTo(home.zoom, 6);
    await page.keyboard.press('r');
    await expect.poll(async () => (await view()).rotation).toBe(90);
    await page.keyboard.press('f');
    await expect.poll(async () => (await view()).flip).toBe(true);
  });
});
