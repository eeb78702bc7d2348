import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanel, startStack, type Stack } from './a11y-setup.js';
import { viewerSettled } from './page-helpers.js';

// What a screen reader gets: a named image viewer, the leaf said when it changes, and every
// passage in the language it is written in.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

/** The viewer's polite live region (ours, inside the viewer). */
const liveRegion = (page: Page) => page.locator('#viewer [role="status"][aria-live="polite"]');

/**
 * Text nodes of at least two words in the other language's script (acronyms and URLs aside) that
 * no `lang` attribute marks as such: what a screen reader would read with the wrong voice.
 */
function unmarkedPassages(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const foreign = pageLang === 'ru' ? /\p{Script=Latin}{2,}/gu : /\p{Script=Cyrillic}{2,}/gu;
    const other = pageLang === 'ru' ? 'en' : 'ru';
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, noscript, code, textarea, [aria-hidden="true"]')) continue;
      const text = (n.nodeValue ?? '').replace(/\b(https?:\/\/|www\.)\S+/g, '');
      const words = (text.match(foreign) ?? []).filter((w) => w !== w.toUpperCase() || w.length > 5);
      if (words.length < 2) continue;
      if (el.closest('[lang]')?.getAttribute('lang')?.split('-')[0] !== other) out.push(text.trim().slice(0, 60));
    }
    return out;
  });
}

/**
 * The overlay as Chromium's accessibility tree has it: the group inside the image viewer and,
 * in order, the text of each of its children (ignored nodes, such as layout wrappers, skipped).
 */
async function overlayText(page: Page): Promise<{ name: string; items: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  type Node = { nodeId: string; ignored: boolean; role?: { value: string }; name?: { value: string }; childIds?: string[] };
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Node[] };
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  /** The visible (not ignored) children of a node, looking through ignored ones. */
  const children = (n: Node): Node[] =>
    (n.childIds ?? []).flatMap((id) => {
      const c = byId.get(id);
      return !c ? [] : c.ignored ? children(c) : [c];
    });
  const text = (n: Node): string => (n.role?.value === 'StaticText' ? (n.name?.value ?? '') : children(n).map(text).join(''));
  const app = nodes.find((n) => n.role?.value === 'application')!;
  const groups: Node[] = [];
  const find = (n: Node) => (n.role?.value === 'group' ? groups.push(n) : children(n).forEach(find));
  find(app);
  expect(groups).toHaveLength(1);
  const items = children(groups[0]!);
  // One paragraph per line: no bare spans or generic wrappers for a screen reader to step through.
  expect([...new Set(items.map((i) => i.role?.value))]).toEqual(['paragraph']);
  return { name: groups[0]!.name?.value ?? '', items: items.map(text) };
}

describe('screen readers', { timeout: 90_000 }, () => {
  it('names the image viewer after its leaf and says the new leaf politely when it turns', async (t) => {
    const page = await stack.open(t, { locale: 'ru-RU' });
    await page.goto(`${stack.server.url}/`, { timeout: 60_000 });
    await viewerSettled(page);
    const canvas = page.locator('.openseadragon-canvas');
    expect(await canvas.getAttribute('tabindex')).toBe('0');
    expect(await canvas.getAttribute('role')).toBe('application');
    expect(await canvas.getAttribute('aria-label')).toBe('л. 43');
    // Mirador's whole viewer section is no longer a live region (it would read the overlay).
    expect(await page.locator('.mirador-osd-container[aria-live]').count()).toBe(0);
    await page.getByRole('button', { name: 'Следующий лист' }).click();
    await expect.poll(() => liveRegion(page).textContent(), { timeout: 20_000 }).toBe('л. 44 (2 из 3)');
    expect(await canvas.getAttribute('aria-label')).toBe('л. 44');
  });

  it('says the leaf in English on the English page', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    await page.getByRole('button', { name: 'Next item' }).click();
    await expect.poll(() => liveRegion(page).textContent(), { timeout: 20_000 }).toBe('l. 44 (2 of 3)');
  });

  it('exposes the text on the image as the leaf’s lines in reading order, one element each, under the leaf’s name', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    await page.locator('.tx-overlay .tx-line').first().waitFor();
    const l43 = stack.cable.leaves[0]!;
    expect(await overlayText(page)).toEqual({
      name: 'Transcription of l. 43',
      items: l43.transcription.blocks.flatMap((b) => b.lines.map((l) => l.text)),
    });
    await page.getByRole('button', { name: 'EN — English translation' }).click();
    await page.locator('.tx-overlay[data-layer="en"] .tx-paragraph').first().waitFor();
    expect(await overlayText(page)).toEqual({ name: 'Translation of l. 43', items: l43.translation!.paragraphs.map((p) => p.text) });
  });

  it('marks the transcript panel’s lines Russian and its translation English', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    await openPanel(page, 'en', 'transcript');
    await page.locator('.tx-panel-line').first().waitFor();
    const langs = (sel: string) => page.locator(sel).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('lang')))]);
    expect(await langs('.tx-panel-line')).toEqual(['ru']);
    expect(await langs('.tx-panel-paragraph')).toEqual(['en']);
  });

  for (const [path, locale] of [['/', 'ru-RU'], ['/?lang=en', 'en-US']] as const) {
    it(`marks every passage in the other language on ${path} (${locale})`, async (t) => {
      const page = await stack.open(t, { locale });
      await page.goto(`${stack.server.url}${path}`, { timeout: 60_000 });
      await viewerSettled(page);
      await page.locator('.tx-panel-line').first().waitFor();
      if (locale === 'ru-RU') expect(await page.locator('cite').getAttribute('lang')).toBe('en');
      expect(await unmarkedPassages(page)).toEqual([]);
    });
  }
});
