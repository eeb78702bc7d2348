import { describe, expect, it } from 'vitest';
import { openPage } from '../e2e/browser.js';
import { clientSession, doc, expectLeafPainted, getJson, publishedLines, recordResponses } from './harness.js';

// Clover IIIF 3.3.8 (React 18, OpenSeadragon, @iiif/parser's Vault) opening our 3.0 manifest from
// another origin, as a library site embedding Clover would.

const session = clientSession();

const manifest = () => `${session.service.url}/iiif/presentation/3/${doc}/manifest`;
const cloverUrl = () => `${session.clients.url}/clover.html?iiif-content=${encodeURIComponent(manifest())}`;
/** The OpenSeadragon drawing surface of Clover's main viewer (not its navigator). */
const viewport = '[data-testid="clover-iiif-image-openseadragon-viewport"] .openseadragon-canvas > canvas';


describe('Clover IIIF 3.3.8 with the 3.0 manifest', { timeout: 60_000 }, () => {
  it('paints the first leaf from our Image API 3.0 service', async (t) => {
    const page = await openPage(session.browser, t);
    const image = recordResponses(page, /\/iiif\/3\/rgaspi-f558-op11-d340-l043\//);
    await page.goto(cloverUrl());

    await expectLeafPainted(page, image, /\/iiif\/3\//, viewport);
  });

  it('shows a thumbnail of each of the three leaves, loaded from our service', async (t) => {
    const canvases = (await getJson<{ items: { thumbnail: { width: number }[] }[] }>(manifest())).items;
    const page = await openPage(session.browser, t);
    await page.goto(cloverUrl());
    const thumbnails = page.getByTestId('media-thumbnail-image');
    await expect.poll(() => thumbnails.count(), { timeout: 30_000 }).toBe(3);
    expect(await thumbnails.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['l. 43', 'l. 44', 'l. 45']);
    await expect
      .poll(() => thumbnails.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth)), {
        timeout: 30_000,
      })
      .toEqual(canvases.map((c) => c.thumbnail[0]!.width));
    const sources = await thumbnails.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    expect(sources.every((src, i) => src.startsWith(`${session.service.url}/iiif/3/rgaspi-f558-op11-d340-l04${3 + i}/`))).toBe(true);
  });

  it('lists the Russian lines of l. 43 in its Annotations tab, as our transcription layer publishes them', async (t) => {
    const transcription = await publishedLines(session.service.url, 'transcription', 'l43');
    const translation = await publishedLines(session.service.url, 'translation', 'l43');
    expect(transcription[0]!.text).toBe('Товарищ Филиппов!');

    const page = await openPage(session.browser, t);
    await page.goto(cloverUrl());
    await page.getByRole('tab', { name: 'Annotations' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Annotations' });
    // One group per annotation page the canvas links: transcription first, then translation,
    // in the order of the canvas's `annotations`. Clover heads each group with the canvas label,
    // not the page's own label (Viewer/InformationPanel/Annotation/Page.tsx renders
    // `<Label label={canvas.label} />`), so both groups read "l. 43".
    const groups = panel.getByTestId('annotation-page');
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(2);
    const linesOf = (i: number) =>
      groups.nth(i).locator('.clover-iiif-annotation-item').evaluateAll((items) => items.map((e) => e.getAttribute('data-content')));
    expect(await linesOf(0)).toEqual(transcription.map((l) => l.text));
    expect(await linesOf(1)).toEqual(translation.map((l) => l.text));
    expect(await groups.nth(0).locator('header').innerText()).toBe('l. 43');
    // Each line comes with a crop of the leaf from our image service: the line's own region.
    const firstCrop = await groups
      .nth(0)
      .locator('.clover-iiif-annotation-item span')
      .first()
      .evaluate((e) => getComputedStyle(e).backgroundImage);
    expect(firstCrop).toContain(`${session.service.url}/iiif/3/rgaspi-f558-op11-d340-l043/${transcription[0]!.region}/`);
  });

  it('finds «переговоров» through its Search tab (Content Search 2.0), leaf by leaf as our service answers', async (t) => {
    const term = 'переговоров';
    const manifestJson = await getJson<{ service: { id?: string; type?: string }[] }>(manifest());
    const search = manifestJson.service.find((s) => s.type === 'SearchService2')!.id!;
    const answer = await getJson<{ items: { body: { value: string }; target: string }[] }>(`${search}?q=${encodeURIComponent(term)}`);
    const byLeaf = new Map<string, string[]>();
    for (const hit of answer.items) {
      const leaf = `l. ${/\/canvas\/l(\d+)#/.exec(hit.target)![1]}`;
      byLeaf.set(leaf, [...(byLeaf.get(leaf) ?? []), hit.body.value]);
    }
    expect(byLeaf.size).toBeGreaterThan(0);

    const page = await openPage(session.browser, t);
    const searches = recordResponses(page, /\/iiif\/search\//);
    await page.goto(cloverUrl());
    await page.getByRole('tab', { name: 'Search' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Search' });
    await panel.locator('input[name="searchTerms"]').fill(term);
    await panel.locator('input[name="searchTerms"]').press('Enter');

    // Clover groups the hits by canvas under the canvas label, each with the matched words.
    const groups = panel.getByTestId('annotation-page');
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(byLeaf.size);
    const shown = new Map<string, string[]>();
    for (let i = 0; i < byLeaf.size; i++) {
      const label = await groups.nth(i).locator('header').innerText();
      shown.set(label, await groups.nth(i).locator('.clover-iiif-annotation-item').evaluateAll((items) => items.map((e) => e.getAttribute('data-content')!)));
    }
    expect(shown).toEqual(byLeaf);
    expect(searches.map((r) => [r.status(), r.url().split('?')[0]])).toEqual([[200, search]]);
  });
});

