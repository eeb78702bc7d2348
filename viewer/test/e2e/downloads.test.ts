import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { names, settleTooltips, startStack, type Stack } from './a11y-setup.js';
import { viewerSettled } from './page-helpers.js';

// The viewer's download menu end to end: what the real manifest links, and that each file is there.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

const doc = 'rgaspi-f558-op11-d340-l43-45';

describe('Download menu', { timeout: 60_000 }, () => {
  it('offers the document’s PDF and texts, then the leaf shown: its PDF, text and image', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 30_000 });
    await viewerSettled(page);

    const button = page.getByRole('button', { name: 'Download' });
    await button.click();
    const menu = page.getByRole('menu', { name: 'Download' });
    await menu.waitFor();
    const items = menu.getByRole('menuitem');
    const entries = await items.evaluateAll((links) => links.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
    const files = `${stack.server.url}/iiif/presentation/${doc}/files`;
    expect(entries).toContainEqual(['PDF of the document: page images with searchable text, translation', `${files}/${doc}.pdf`]);
    expect(entries).toContainEqual(['PDF of the leaf: page image with searchable text, translation', `${files}/l43.pdf`]);
    expect(entries.some(([label, href]) => label === 'Image of l. 43 (JPEG)' && href?.endsWith('/full/max/0/default.jpg'))).toBe(true);
    // Each item names its group to a screen reader (the headings are not focusable).
    const described = await items.first().evaluate((a) => document.getElementById(a.getAttribute('aria-describedby') ?? '')?.textContent);
    expect(described).toBe('The whole document');
    await settleTooltips(page);
    // The menu fades in: contrast is only meaningful once it is fully opaque.
    await page.waitForFunction(() => {
      const paper = document.querySelector('.MuiMenu-paper');
      return paper !== null && getComputedStyle(paper).opacity === '1';
    });
    expect(await seriousViolations(page)).toEqual([]);

    // Every link answers with the type the manifest declares.
    for (const [, href] of entries) {
      const res = await page.request.get(href!);
      expect(res.status(), href!).toBe(200);
    }
    const pdf = await page.request.get(`${files}/l43.pdf`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // Escape closes the menu and gives focus back to its button.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Download');

    // From the keyboard: Enter opens the menu on its first item, arrows move through the items.
    await page.keyboard.press('Enter');
    await menu.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).not.toBe(first);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    // The leaf part follows the viewer.
    await page.getByRole('button', { name: names.en.next }).click();
    await viewerSettled(page);
    await button.click();
    await menu.waitFor();
    const hrefs = await menu.getByRole('menuitem').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs).toContain(`${files}/l44.pdf`);
    expect(hrefs).not.toContain(`${files}/l43.pdf`);
  });

  it('speaks Russian on the Russian page', async (t) => {
    const page = await stack.open(t, { locale: 'ru-RU' });
    await page.goto(`${stack.server.url}/`, { timeout: 30_000 });
    await viewerSettled(page);
    await page.getByRole('button', { name: 'Скачать' }).click();
    const menu = page.getByRole('menu', { name: 'Скачать' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Документ в PDF: изображения листов с текстовым слоем, перевод' }).count()).toBe(1);
    expect(await menu.getByRole('menuitem', { name: 'Изображение: л. 43 (JPEG)' }).count()).toBe(1);
  });
});
