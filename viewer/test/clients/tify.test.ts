import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from '../e2e/browser.js';
import { clientSession, doc, expectLeafPainted, getJson, openTify, publishedLines, recordResponses, tifyViewport } from './harness.js';

// TIFY 0.35.0 (SUB Göttingen; Vue 3, OpenSeadragon 5, @iiif/parser's upgrader for 2.x), its
// ready-made ES module, opening our 3.0 and 2.1 manifests from another origin.

const session = clientSession();

/** TIFY's separator between the values of one language map entry (store.js, `localize`). */
const valueSeparator = '\u00a0· ';


interface LanguageMap {
  [language: string]: string[];
}
interface Manifest3 {
  label: LanguageMap;
  metadata: { label: LanguageMap; value: LanguageMap }[];
  items: { label: LanguageMap }[];
}


const manifestOf = (version: 2 | 3) => `${session.service.url}/iiif/presentation/${version}/${doc}/manifest`;
const manifest3 = () => getJson<Manifest3>(manifestOf(3));

/** The thumbnail each canvas of the manifest names. */
async function canvasThumbnails(version: 2 | 3): Promise<{ id: string; width: number }[]> {
  if (version === 3) return (await getJson<{ items: { thumbnail: { id: string; width: number }[] }[] }>(manifestOf(3))).items.map((c) => c.thumbnail[0]!);
  const { sequences } = await getJson<{ sequences: { canvases: { thumbnail: { '@id': string; width: number } }[] }[] }>(manifestOf(2));
  return sequences[0]!.canvases.map((c) => ({ id: c.thumbnail['@id'], width: c.thumbnail.width }));
}

/** The console's errors and warnings and the page's uncaught exceptions, as they come. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  return problems;
}

const openOurs = (page: Page, version: 2 | 3) => openTify(page, session.clients.url, manifestOf(version));

const viewButton = (page: Page, name: 'Info' | 'Pages' | 'Text') => page.locator('.tify-header').getByRole('button', { name, exact: true });

describe.each([
  { version: 3, name: '3.0', imageApi: 3 },
  { version: 2, name: '2.1', imageApi: 2 },
] as const)('TIFY 0.35.0 with the $name manifest', ({ version, imageApi }) => {
  it(`opens it without an error, under its title, and paints the first leaf from our Image API ${imageApi} service`, { timeout: 60_000 }, async (t) => {
    const page = await openPage(session.browser, t);
    const problems = problemsOf(page);
    const image = recordResponses(page, /\/iiif\/[23]\/rgaspi-f558-op11-d340-l043\//);
    await openOurs(page, version);

    // The header binds the title's last two words with a no-break space (AppHeader.vue, `title`).
    const title = await page.locator('.tify-header-title').innerText();
    expect(title.replace(/\u00a0/g, ' ')).toBe((await manifest3()).label.en![0]);
    // TIFY tiles from the first image service a painting body lists (ViewMedia.vue, loadInfo:
    // `[].concat(services)[0]`): the 3.0 manifest lists its Image API 3.0 service first.
    await expectLeafPainted(page, image, new RegExp(`/iiif/${imageApi}/`), tifyViewport);
    // TIFY reports what it can't use from a manifest in its error box and on the console.
    expect(await page.locator('.tify-error').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows the title and the archival metadata of the manifest in its Info view', { timeout: 60_000 }, async (t) => {
    const expected = await manifest3();
    const page = await openPage(session.browser, t);
    const problems = problemsOf(page);
    await openOurs(page, version);
    await viewButton(page, 'Info').click();

    const info = page.locator('.tify-info');
    await expect.poll(() => info.locator('.tify-info-section.-title p').innerText(), { timeout: 30_000 }).toBe(expected.label.en![0]);
    const rows = await info
      .locator('.tify-info-section.-metadata')
      .first()
      .locator('.tify-info-metadata > div')
      .evaluateAll((entries) => entries.map((e) => [e.querySelector('h4')!.textContent!.trim(), e.querySelector('.tify-info-value')!.textContent!.trim()]));
    // Each entry in the English of its label and value, else the value's only language map
    // (`none` for the archival reference, which is the same in both languages), its values
    // joined. TIFY reads every metadata value as HTML (MetadataList.vue renders it with v-html
    // after striptags), so what shows is the text the session.browser makes of it: tags out, entities read.
    const joined = expected.metadata.map((m) => (m.value.en ?? Object.values(m.value)[0]!).join(valueSeparator));
    const shown = await page.evaluate((values) => values.map((v) => new DOMParser().parseFromString(v, 'text/html').body.textContent!.trim()), joined);
    expect(rows).toEqual(expected.metadata.map((m, i) => [m.label.en![0], shown[i]]));
    expect(rows).toContainEqual(['Archival reference', `РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.${valueSeparator}RGASPI, f. 558, op. 11, d. 340, ll. 43–45`]);
    // That costs the citation its address: our value is plain text, which ends in the address
    // in angle brackets as citation styles write it. Presentation 3.0 (§4.5, "HTML Markup in
    // Property Values") makes a value HTML only when its first character is "<" and its last
    // ">", which TIFY does not test, so it strips "<https://…>" as if it were a tag. TIFY's
    // reading, not our data.
    const citation = expected.metadata.find((m) => m.label.en![0] === 'Citation')!.value.none![0]!;
    const address = /<(https:[^>]+)>$/.exec(citation)![1]!;
    expect(rows.find(([label]) => label === 'Citation')![1]).not.toContain(address);
    // The source, the same address as an HTML link (a value that is HTML by §4.5), stays a link.
    const source = info.locator('.tify-info-metadata > div', { has: page.locator('h4', { hasText: /^Source$/ }) }).locator('a');
    expect(await source.getAttribute('href')).toBe(address);
    expect(problems).toEqual([]);
  });

  it('lists the three leaves in its Pages view, by their labels, with thumbnails from our image service', { timeout: 60_000 }, async (t) => {
    const labels = (await manifest3()).items.map((c) => c.label.en![0]!);
    expect(labels).toEqual(['l. 43', 'l. 44', 'l. 45']);
    const page = await openPage(session.browser, t);
    const problems = problemsOf(page);
    const leaf45 = recordResponses(page, new RegExp(`/iiif/${imageApi}/rgaspi-f558-op11-d340-l045/`));
    await openOurs(page, version);
    await viewButton(page, 'Pages').click();

    // TIFY names a page by its number and the canvas label (pageLabelFormat 'P&nbsp;· L').
    const items = page.locator('.tify-thumbnails-item');
    await expect.poll(() => items.locator('.tify-page-name').allTextContents(), { timeout: 30_000 }).toEqual(labels.map((l, i) => `${i + 1}${valueSeparator}${l}`));
    // Each thumbnail is the one the canvas names, loaded from our service at its stated width.
    const named = await canvasThumbnails(version);
    expect(named.every((n) => n.id.startsWith(`${session.service.url}/iiif/${imageApi}/`))).toBe(true);
    const thumbnails = items.locator('img.tify-thumbnails-image');
    await expect
      .poll(() => thumbnails.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth)), {
        timeout: 30_000,
      })
      .toEqual(named.map((n) => n.width));
    expect(await thumbnails.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src))).toEqual(named.map((n) => n.id));

    // Choosing the third opens l. 45 from its own image session.service.
    await items.nth(2).locator('button').click();
    await expect.poll(() => page.locator('.tify-page-select .tify-page-name').first().textContent(), { timeout: 30_000 }).toBe(`3${valueSeparator}l. 45`);
    await expect.poll(() => leaf45.some((r) => r.url().endsWith('/info.json') && r.status() === 200), { timeout: 30_000 }).toBe(true);
    expect(problems).toEqual([]);
  });

  it('shows the Russian transcription of l. 43 line by line in its Text view, each line outlined on the leaf', { timeout: 60_000 }, async (t) => {
    const lines = await publishedLines(session.service.url, 'transcription', 'l43');
    expect(lines[0]!.text).toBe('Товарищ Филиппов!');
    const ownPage = `${session.service.url}/iiif/presentation/${version}/${doc}/annotations/transcription/l43`;
    const annotationIds =
      version === 3
        ? (await getJson<{ items: { id: string }[] }>(ownPage)).items.map((a) => a.id)
        : (await getJson<{ resources: { '@id': string }[] }>(ownPage)).resources.map((a) => a['@id']);
    expect(annotationIds).toHaveLength(lines.length);

    const page = await openPage(session.browser, t);
    const problems = problemsOf(page);
    const annotationPages = recordResponses(page, /\/annotations\//);
    await openOurs(page, version);
    await viewButton(page, 'Text').click();

    const text = page.locator('.tify-text');
    await expect.poll(() => text.locator('.tify-text-item').allInnerTexts(), { timeout: 30_000 }).toEqual(lines.map((l) => l.text));
    expect(await text.locator('.tify-text-page h3').textContent()).toBe(`1${valueSeparator}l. 43`);
    // TIFY reads only the first annotation page a canvas links (store.js, loadAnnotations:
    // `canvas.annotations[0]`; the 2.1 `otherContent` is upgraded to `annotations` first). Ours
    // are the transcription, then the translation, so the English translation never shows in
    // TIFY: its design, not our data.
    expect(annotationPages.map((r) => [r.status(), r.url()])).toEqual([[200, ownPage]]);

    // One outline per line over the leaf, placed from the annotation's `xywh`, named by its id.
    const overlays = page.locator('.tify-media-overlay');
    await expect.poll(() => overlays.evaluateAll((buttons) => buttons.map((b) => b.id)), { timeout: 30_000 }).toEqual(annotationIds);
    await text.locator('.tify-text-toggle').first().click();
    const current = page.locator('.tify-media-overlay.-current');
    expect(await current.getAttribute('id')).toBe(annotationIds[0]);
    const box = (await current.boundingBox())!;
    const [, , w, h] = lines[0]!.region.split(',').map(Number) as [number, number, number, number];
    expect(Math.abs(box.width / box.height / (w / h) - 1)).toBeLessThan(0.03);
    expect(problems).toEqual([]);
  });
});
