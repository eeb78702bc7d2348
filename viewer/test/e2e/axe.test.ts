import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, type Violation } from './axe.js';
import { openPanel, searchFor, startStack, type Stack } from './a11y-setup.js';
import { viewerSettled } from './page-helpers.js';

// WCAG 2.1 A/AA as axe-core checks it, on the document page and the embed in both languages,
// in the three states a reader meets: as loaded, reading the transcript, searching.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

const pages = [
  { path: '/', lang: 'ru' },
  { path: '/?lang=en', lang: 'en' },
  { path: '/embed', lang: 'ru' },
  { path: '/embed?lang=en', lang: 'en' },
] as const;

describe('axe-core: no serious or critical WCAG 2.1 AA violations', { timeout: 90_000 }, () => {
  for (const { path, lang } of pages) {
    it(`${path}: loaded, transcript panel with the overlay, search panel with hits`, async (t) => {
      // A Russian reader's browser: `/` and `/embed` answer in Russian.
      const page = await stack.open(t, { locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
      await page.goto(`${stack.server.url}${path}`, { timeout: 60_000 });
      await viewerSettled(page);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      const found: Record<string, Violation[]> = {};
      found.loaded = await seriousViolations(page);

      await openPanel(page, lang, 'transcript');
      await page.locator('.tx-panel-line').first().waitFor({ timeout: 30_000 });
      await page.locator('.tx-overlay[data-mode="visible"] .tx-item').first().waitFor({ timeout: 30_000 });
      found.transcript = await seriousViolations(page);

      await searchFor(page, lang, 'Кайдзъё');
      found.search = await seriousViolations(page);

      expect(found).toEqual({ loaded: [], transcript: [], search: [] });
    });
  }
});
