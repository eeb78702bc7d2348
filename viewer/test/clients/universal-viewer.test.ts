import { describe, expect, it } from 'vitest';
import { openPage } from '../e2e/browser.js';
import { clientSession, doc, expectLeafPainted, getJson, recordResponses, uvPage, uvViewport } from './harness.js';

// Universal Viewer 4.4.0, its ready-made UMD build (manifesto.js, OpenSeadragon 6), opening our
// 3.0 and 2.1 manifests from another origin, and searching them through the Content Search 1.0
// service the manifests declare.

const session = clientSession();

const term = 'переговоров';

interface SearchAnswer1 {
  resources: { on: string }[];
  next?: string;
}


const manifestOf = (version: 2 | 3) => `${session.service.url}/iiif/presentation/${version}/${doc}/manifest`;
const uvUrl = (version: 2 | 3) => uvPage(session.clients.url, manifestOf(version));

/** The search service the manifest declares with the 1.0 profile, as UV finds it. */
async function searchService1(version: 2 | 3): Promise<string> {
  const manifest = await getJson<{ service: unknown }>(manifestOf(version));
  const services = [manifest.service].flat() as Record<string, string>[];
  const found = services.find((s) => s.profile === 'http://iiif.io/api/search/1/search');
  return found!['@id']!;
}

/** Every annotation of our Content Search 1.0 answer, following `next` as UV does. */
async function searchAll(version: 2 | 3): Promise<SearchAnswer1['resources']> {
  const resources: SearchAnswer1['resources'] = [];
  for (let url: string | undefined = `${await searchService1(version)}?q=${encodeURIComponent(term)}`; url; ) {
    const answer: SearchAnswer1 = await getJson<SearchAnswer1>(url);
    resources.push(...answer.resources);
    url = answer.next;
  }
  return resources;
}

describe.each([
  { version: 3, name: '3.0' },
  { version: 2, name: '2.1' },
] as const)('Universal Viewer 4.4.0 with the $name manifest', ({ version }) => {
  it('paints the first leaf from our image service', { timeout: 60_000 }, async (t) => {
    const page = await openPage(session.browser, t);
    const image = recordResponses(page, /\/iiif\/[23]\/rgaspi-f558-op11-d340-l043\//);
    await page.goto(uvUrl(version));

    // UV tiles from Image API 2.1 for both manifests. The 3.0 manifest lists the 3.0 service
    // first and the 2.1 one second; UV's getInfoUri (uv-openseadragon-extension/Extension.ts,
    // the Presentation 3 branch) loops over all services without stopping at the first image
    // service, so the last one listed wins.
    const service2 = /\/iiif\/2\/rgaspi-f558-op11-d340-l043\//;
    await expectLeafPainted(page, image, service2, uvViewport);
    // The thumbnail strip names each leaf by its canvas label.
    await expect.poll(() => page.locator('.thumbs .thumb .label').allInnerTexts(), { timeout: 30_000 }).toEqual(['l. 43', 'l. 44', 'l. 45']);
  });

  it(`finds «${term}» through "Search within this item" and highlights the hit on the page`, { timeout: 60_000 }, async (t) => {
    const expected = await searchAll(version);
    const onFirstLeaf = expected.filter((a) => /\/canvas\/l43#xywh=/.test(a.on));
    const leaves = new Set(expected.map((a) => a.on.split('#')[0]));
    expect(onFirstLeaf.length).toBeGreaterThan(0);

    const page = await openPage(session.browser, t);
    const searches = recordResponses(page, /\/iiif\/search\/1\//);
    await page.goto(uvUrl(version));
    await page.locator(uvViewport).waitFor({ timeout: 30_000 });
    const input = page.locator('#searchWithinInput');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(term);
    await page.locator('.searchButton').first().click();

    const info = page.locator('.searchResultsInfo .info');
    await info.waitFor({ state: 'visible', timeout: 30_000 });
    expect(searches.length).toBeGreaterThan(0);
    expect(searches.every((r) => r.status() === 200 && r.url().startsWith(`${session.service.url}/iiif/search/1/${doc}`))).toBe(true);
    // The number UV shows is the count of annotations in our answer (getTotalAnnotationRects,
    // FooterPanel.ts displaySearchResults), not of search:Hit entries and not of leaves; only
    // the wording "result(s) found for" follows the number of leaves with hits. The term is
    // cut to 10 characters (searchFooterPanel.options.elideResultsTermsCount in UV's
    // config.json; Utils.ts ellipsis), the full term kept in the title attribute.
    await expect.poll(() => info.locator('.number').innerText(), { timeout: 30_000 }).toBe(String(expected.length));
    expect(await info.locator('.foundFor').innerText()).toBe(leaves.size === 1 ? 'result found for' : 'results found for');
    expect(await info.locator('.terms').innerText()).toBe(`${term.slice(0, 10)}…`);
    expect(await info.locator('.terms').getAttribute('title')).toBe(term);
    // One marker per leaf with hits on the footer's page line, and each thumbnail counts its own.
    expect(await page.locator('.searchResultPlacemarker').count()).toBe(leaves.size);
    const perLeaf = ['l43', 'l44', 'l45'].map((leaf) => expected.filter((a) => a.on.includes(`/canvas/${leaf}#`)).length);
    await expect
      .poll(() => page.locator('.thumbs .thumb').evaluateAll((thumbs) => thumbs.map((t) => t.querySelector('.searchResults')?.textContent ?? '')), {
        timeout: 30_000,
      })
      .toEqual(perLeaf.map((n) => (n ? String(n) : '')));

    // The hits on the open leaf are drawn over the image, each the shape of its region.
    const rects = page.locator('.annotationRect');
    await expect.poll(() => rects.count(), { timeout: 30_000 }).toBe(onFirstLeaf.length);
    const current = page.locator('.annotationRect.current');
    expect(await current.getAttribute('title')).toBe(term);
    const viewer = (await page.locator(uvViewport).boundingBox())!;
    await expect
      .poll(
        async () => {
          const box = await current.boundingBox();
          return !!box && box.x >= viewer.x && box.y >= viewer.y && box.x + box.width <= viewer.x + viewer.width && box.y + box.height <= viewer.y + viewer.height;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const box = (await current.boundingBox())!;
    const [, , w, h] = onFirstLeaf[0]!.on.split('#xywh=')[1]!.split(',').map(Number) as [number, number, number, number];
    expect(Math.abs(box.width / box.height / (w / h) - 1)).toBeLessThan(0.03);
  });
});
