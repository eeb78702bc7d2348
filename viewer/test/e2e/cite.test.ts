import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeContentState } from '../../src/content-state.js';
import { seriousViolations } from './axe.js';
import { openPanel, settleTooltips, startStack, type Stack } from './a11y-setup.js';
import { viewerSettled } from './page-helpers.js';

// "Cite this" end to end: the real service and Chromium, the citations the server formats from the record.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

const doc = 'rgaspi-f558-op11-d340-l43-45';
const canvasId = (leaf: string) => `${stack.server.url}/iiif/presentation/3/${doc}/canvas/${leaf}`;
const chicagoHead = 'Mao Zedong, “Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin],” July 13, 1951, RGASPI, f. 558, op. 11, d. 340,';
const gostHead = 'Шифртелеграмма № 21756, Мао Цзэдун — т. Филиппову [Сталину]. 13 июля 1951 г. // РГАСПИ. Ф. 558. Оп. 11. Д. 340.';

interface Decoded {
  motivation: string[];
  target: { id: string; partOf: { id: string }[] };
}
const decode = (link: string) => JSON.parse(decodeContentState(new URL(link).searchParams.get('iiif-content')!)) as Decoded;

describe('Cite this', { timeout: 60_000 }, () => {
  it('cites the document, the current leaf and the chosen line in Chicago and GOST', async (t) => {
    const page = await stack.open(t);
    await page.goto(`${stack.server.url}/?lang=en`, { timeout: 30_000 });
    await viewerSettled(page);
    const pageUrl = `${stack.server.url}/`;

    await page.getByRole('button', { name: 'Cite this' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cite this' });
    await dialog.waitFor();
    // MUI's Dialog moves focus in and keeps it there (modal).
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    const text = (n: number) => dialog.locator('.tx-cite-text').nth(n).textContent();
    expect(await text(0)).toBe(`${chicagoHead} ll. 43–45, translated by Gary Goldberg, ${pageUrl}.`);
    expect(await text(1)).toBe(`${gostHead} Л. 43–45.`);
    await settleTooltips(page);
    expect(await seriousViolations(page)).toEqual([]);

    await dialog.getByRole('radio', { name: 'This leaf (l. 43)' }).check();
    expect(await text(0)).toBe(`${chicagoHead} l. 43, translated by Gary Goldberg, ${pageUrl}.`);
    expect(await text(1)).toBe(`${gostHead} Л. 43.`);
    const leafState = decode((await text(2))!);
    expect(leafState.motivation).toEqual(['contentState']);
    expect(leafState.target.id).toBe(canvasId('l43'));
    expect(leafState.target.partOf[0]!.id).toBe(`${stack.server.url}/iiif/presentation/3/${doc}/manifest`);
    expect(await dialog.getByRole('radio').count()).toBe(2);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Cite this');

    // Choosing a line in the transcript panel adds a third scope: that line, by its region.
    await openPanel(page, 'en', 'transcript');
    const line = page.locator('.tx-panel-line').nth(2);
    await line.click();
    await page.getByRole('button', { name: 'Cite this' }).click();
    await dialog.getByRole('radio', { name: 'The chosen line (l. 43)' }).check();
    const link = (await text(2))!;
    expect(decode(link).target.id).toMatch(new RegExp(`^${canvasId('l43').replace(/[.?]/g, '\\$&')}#xywh=\\d+,\\d+,\\d+,\\d+$`));
    expect(await text(0)).toBe(`${chicagoHead} l. 43, translated by Gary Goldberg, ${link}.`);
    expect(await text(1)).toBe(`${gostHead} Л. 43. URL: ${link}`);
  });
});
