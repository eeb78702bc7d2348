import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';
import type { TestContext } from 'vitest';
import { buildViewer } from '../../../server/scripts/build-viewer.js';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { loadDocuments } from '../../../server/src/document/load-document.js';
import type { ArchivalDocument } from '../../../server/src/document/model.js';
import { createImageBackend, type ImageService } from '../../../server/src/image/backend.js';
import { listen, memoryLogger, type Listening } from '../../../server/test/http/listen.js';
import { chromiumArgs, chromiumPath } from './browser.js';

export interface Stack {
  server: Listening;
  cable: ArchivalDocument;
  /**
   * A tab in a fresh browser context: a reader's locale (Accept-Language, so `/` answers in
   * Russian for `ru-RU`), or JavaScript switched off. Screenshots itself if the test fails.
   */
  open: (t: TestContext, options?: BrowserContextOptions) => Promise<Page>;
  close: () => Promise<void>;
}

const shotDir = path.resolve(import.meta.dirname, '../../../test-results/viewer-e2e');

/** The real service on 127.0.0.1:0 with the cable, and one headless Chromium. */
export async function startStack(): Promise<Stack> {
  await buildViewer({ quiet: true });
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  const { logger } = memoryLogger('silent');
  const documents = await loadDocuments(config.manifestsDir);
  const images: ImageService = createImageBackend(config, logger, { ingestOnDemand: true });
  const server = await listen(createApp({ config, logger, documents, images }));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  return {
    server,
    cable: documents[0]!,
    open: async (t, options = {}) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
      const page = await context.newPage();
      t.onTestFailed(async () => {
        await mkdir(shotDir, { recursive: true });
        const name = t.task.name.replace(/[^\w-]+/g, '_').slice(0, 80);
        await page.screenshot({ path: path.join(shotDir, `${name}.png`) }).catch(() => undefined);
      });
      t.onTestFinished(() => context.close());
      return page;
    },
    close: async () => {
      await browser.close();
      await server.close();
      await images.close();
    },
  };
}

/** Mirador's and our control names in both interface languages. */
export const names = {
  ru: { sidebar: 'Показать или скрыть боковую панель', transcript: 'Транскрипция и перевод', search: 'Поиск', terms: 'что искать', next: 'Следующий лист' },
  en: { sidebar: 'Toggle sidebar', transcript: 'Transcript and translation', search: 'Search', terms: 'search terms', next: 'Next item' },
} as const;

type Target = Page | Frame;

/** Opens a side bar panel by its button (the embed starts with the side bar closed). */
export async function openPanel(page: Target, lang: 'ru' | 'en', panel: 'transcript' | 'search'): Promise<void> {
  const tab = page.getByRole('tab', { name: names[lang][panel], exact: true });
  if (!(await tab.isVisible())) await page.getByRole('button', { name: names[lang].sidebar }).click();
  await tab.click();
  await settleTooltips(page);
}

/**
 * Moves the pointer off the controls and waits for MUI's tooltips to fade out: axe measures a
 * tooltip's contrast mid-fade (at part opacity) and would report a passing colour pair.
 */
export async function settleTooltips(page: Target): Promise<void> {
  const p = 'mouse' in page ? page : page.page();
  await p.mouse.move(1, 1);
  await page.locator('[role="tooltip"]').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}

/** Runs a search from the panel and waits for its hits to be listed. */
export async function searchFor(page: Target, lang: 'ru' | 'en', query: string): Promise<void> {
  await openPanel(page, lang, 'search');
  const input = page.getByRole('combobox', { name: names[lang].terms });
  await input.fill(query);
  await input.press('Enter');
  await page.locator('strong:has(span)').first().waitFor({ timeout: 45_000 });
  await settleTooltips(page);
}
