import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, settleTooltips, startStack, type Stack } from './a11y-setup.js';
import { contains, viewerSettled, type Box } from './page-helpers.js';

// The page's layout as a reader meets it. First paint: the opening leaf is already there as a
// plain <img> of an advertised size, exactly where OpenSeadragon then draws it, with no layout
// shift. Reflow (WCAG 1.4.10): at 320 CSS px — a phone, or a 1280 px screen at 400 % zoom, which
// is 320 × 225 CSS px — every control of the viewer can be brought into view and pressed, and the
// page never scrolls sideways. Forced colours (Windows high contrast): the overlay's lines, the
// marked line and the focus ring keep system colours instead of vanishing.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.close());

interface Control {
  name: string;
  /** Inside the viewport once scrolled into view. */
  inside: boolean;
  /** What the pointer would hit at its centre is the control itself (not covered); a disabled control counts as reachable. */
  reachable: boolean | string;
}

/** Every rendered button, tab and thumbnail of the viewer, each scrolled into view and checked (the transcript panel's lines are text, not controls). */
function controls(page: Page): Promise<Control[]> {
  return page.evaluate(() => {
    const els = [...document.querySelectorAll<HTMLElement>('#viewer button, #viewer [role="tab"], #viewer .mirador-thumbnail-nav-canvas')].filter(
      (el) => !el.closest('.tx-panel') && el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && el.getBoundingClientRect().width > 0,
    );
    return els.map((el) => {
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      const [w, h] = [document.documentElement.clientWidth, window.innerHeight];
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return {
        name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.className,
        inside: r.left >= -0.5 && r.top >= -0.5 && r.right <= w + 0.5 && r.bottom <= h + 0.5,
        reachable: (el as HTMLButtonElement).disabled || Boolean(hit && (el === hit || el.contains(hit))) || `covered by ${hit?.outerHTML.slice(0, 80)}`,
      };
    });
  });
}

const pageScrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth || document.body.scrollWidth > document.documentElement.clientWidth);

const screens = [
  { label: 'a 320 × 640 phone', viewport: { width: 320, height: 640 } },
  { label: '1280 × 900 at 400 % zoom (320 × 225 CSS px)', viewport: { width: 320, height: 225 } },
] as const;

describe('reflow at 320 CSS px', { timeout: 90_000 }, () => {
  for (const { label, viewport } of screens) {
    // The embed is checked at the smaller of the two (the 320 × 640 phone adds nothing to it).
    for (const path of viewport.height < 640 ? ['/?lang=en', '/embed?lang=en'] : ['/?lang=en']) {
      it(`${path} on ${label}: every control in view and pressable, with the side panel closed and open, and no sideways scrolling`, async (t) => {
        const page = await stack.open(t, { viewport });
        await page.goto(`${stack.server.url}${path}`, { timeout: 60_000 });
        await viewerSettled(page);
        const closed = await controls(page);
        const must = ['Zoom in', 'Zoom out', 'Reset zoom', 'Next item', names.en.sidebar, 'Transcript on the image', 'RU — Russian transcription', 'EN — English translation', 'Text display settings'];
        expect(closed.map((c) => c.name)).toEqual(expect.arrayContaining(must));
        expect(closed.filter((c) => !c.inside || c.reachable !== true)).toEqual([]);
        expect(await pageScrollsSideways(page)).toBe(false);

        await page.getByRole('button', { name: names.en.sidebar }).click();
        await page.getByRole('tab', { name: names.en.transcript, exact: true }).click();
        await page.locator('.tx-panel-line').first().waitFor();
        await settleTooltips(page);
        const open = await controls(page);
        expect(open.map((c) => c.name)).toEqual(expect.arrayContaining([...must, names.en.transcript, 'Collapse sidebar']));
        expect(open.filter((c) => !c.inside || c.reachable !== true)).toEqual([]);
        expect(await pageScrollsSideways(page)).toBe(false);
        // The panel is beside nothing: it takes the window's width, under the image.
        const [panel, image] = await Promise.all([page.locator('.mirador-companion-window-left').boundingBox(), page.locator('.openseadragon-canvas').boundingBox()]);
        expect(panel!.y).toBeGreaterThanOrEqual(image!.y + image!.height - 1);
        expect(image!.width).toBeGreaterThan(200);

        // And the controls work there: the next leaf opens.
        await page.getByRole('button', { name: 'Next item' }).click();
        await expect.poll(() => page.locator('.openseadragon-canvas').getAttribute('aria-label')).toBe('l. 44');
      });
    }
  }
});

/**
 * Observes the page from its first byte: cumulative layout shift, the largest contentful paint
 * and its element, and, every frame while the server-rendered leaf is there, where its picture is
 * painted (the <img>'s content box, contained as `object-fit: contain` draws it).
 */
const firstPaintProbe = `
  window.__paint = { cls: 0, lcp: 0, lcpElement: '', picture: null, removed: false };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__paint.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.__paint.lcp = e.startTime; window.__paint.lcpElement = e.element ? e.element.className : ''; } }).observe({ type: 'largest-contentful-paint', buffered: true });
  const watch = () => {
    const img = document.querySelector('.first-leaf img');
    if (!img) { if (window.__paint.picture) { window.__paint.removed = true; return; } }
    else if (img.complete && img.naturalWidth) {
      const r = img.getBoundingClientRect();
      const s = Math.min(r.width / img.naturalWidth, r.height / img.naturalHeight);
      const w = img.naturalWidth * s, h = img.naturalHeight * s;
      window.__paint.picture = { x: r.x + (r.width - w) / 2, y: r.y + (r.height - h) / 2, w, h };
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
`;

interface Paint {
  cls: number;
  lcp: number;
  lcpElement: string;
  picture: Box | null;
  removed: boolean;
}

/** Where OpenSeadragon draws the (first) leaf, in page pixels. */
const drawnLeaf = (page: Page): Promise<Box> =>
  page.evaluate(() => {
    type P = { x: number; y: number };
    const v = (window as unknown as {
      miradorOsd: () => { element: HTMLElement; viewport: { pixelFromPoint(p: P, c: boolean): P }; world: { getItemAt(i: number): { getBounds(c: boolean): { getTopLeft(): P; getBottomRight(): P } } } };
    }).miradorOsd();
    const b = v.world.getItemAt(0).getBounds(true);
    const [a, c] = [v.viewport.pixelFromPoint(b.getTopLeft(), true), v.viewport.pixelFromPoint(b.getBottomRight(), true)];
    const el = v.element.getBoundingClientRect();
    return { x: a.x + el.x, y: a.y + el.y, w: c.x - a.x, h: c.y - a.y };
  });

describe('first paint', { timeout: 90_000 }, () => {
  it('puts the opening leaf in the HTML as an <img> of the sizes info.json advertises', async () => {
    const l44 = stack.cable.leaves[1]!;
    const canvas = `${stack.server.url}/iiif/presentation/3/${stack.cable.id}/canvas/${l44.id}`;
    const html = await (await fetch(`${stack.server.url}/embed?lang=en&canvas=${encodeURIComponent(canvas)}`)).text();
    const tag = html.match(/<div class="first-leaf"><img ([^>]*)>/)?.[1] ?? '';
    const attr = (name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    const service = `${stack.server.url}/iiif/3/${l44.image}`;
    const info = (await (await fetch(`${service}/info.json`)).json()) as { width: number; height: number; sizes: { width: number; height: number }[] };
    expect(attr('alt')).toBe('l. 44');
    expect([attr('width'), attr('height')]).toEqual([String(info.width), String(info.height)]);
    expect(attr('fetchpriority')).toBe('high');
    const candidates = attr('srcset')!.split(', ').map((c) => c.split(' '));
    expect(candidates.length).toBeGreaterThanOrEqual(3);
    for (const [url, w] of candidates) {
      // Each candidate is declared 10 % wider than it is (a preview may be drawn a little larger).
      const size = info.sizes.find((s) => `${Math.round(s.width * 1.1)}w` === w);
      expect(size, w).toBeDefined();
      expect(url).toBe(`${service}/full/${size!.width},${size!.height}/0/default.jpg`);
    }
    // Every candidate is an image the service really serves.
    const [url] = candidates[0]!;
    const res = await fetch(url!);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    // A content state or another manifest it cannot see into: no picture rather than a wrong one.
    const other = await (await fetch(`${stack.server.url}/embed?manifest=${encodeURIComponent('https://example.org/manifest')}`)).text();
    expect(other).not.toContain('class="first-leaf"');
  });

  for (const { path, viewport } of [
    { path: '/?lang=en', viewport: { width: 1280, height: 900 } },
    { path: '/embed?lang=en', viewport: { width: 1280, height: 900 } },
  ]) {
    it(`${path} at ${viewport.width} × ${viewport.height}: paints the leaf first where OpenSeadragon draws it, then hands over without a layout shift`, async (t) => {
      const page = await stack.open(t, { viewport });
      await page.addInitScript({ content: firstPaintProbe });
      await page.goto(`${stack.server.url}${path}`, { timeout: 60_000 });
      await viewerSettled(page);
      await page.waitForFunction(() => (window as unknown as { __paint: Paint }).__paint.removed, undefined, { timeout: 20_000 });
      const paint = await page.evaluate(() => (window as unknown as { __paint: Paint }).__paint);
      expect(paint.lcpElement).toBe('first-leaf-image');
      expect(paint.cls).toBeLessThan(0.1);
      const drawn = await drawnLeaf(page);
      // The same place and size, to the pixel: the switch is invisible.
      expect(contains(drawn, paint.picture!, 1.5) && contains(paint.picture!, drawn, 1.5)).toBe(true);
      expect(await page.locator('.first-leaf').count()).toBe(0);
    });
  }
});

/** A system colour as the page resolves it (forced colours map them to the user's theme). */
const systemColour = (page: Page, name: string) =>
  page.evaluate((n) => {
    const probe = document.createElement('span');
    probe.style.color = n;
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  }, name);

describe('forced colours (Windows high contrast)', { timeout: 90_000 }, () => {
  it('keeps the overlay’s lines, the marked line and the focus ring in system colours, and invisible text invisible', async (t) => {
    const page = await stack.open(t);
    await page.emulateMedia({ forcedColors: 'active' });
    await page.goto(`${stack.server.url}/embed?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    const [canvasText, highlight] = [await systemColour(page, 'CanvasText'), await systemColour(page, 'Highlight')];
    const line = page.locator('.tx-overlay[data-mode="visible"] .tx-line').first();
    await line.waitFor();
    const shown = await line.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { color: cs.color, outline: `${cs.outlineStyle} ${cs.outlineColor}` };
    });
    expect(shown).toEqual({ color: canvasText, outline: `solid ${canvasText}` });

    // The focus ring of a button, and the line marked from the transcript panel.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const cs = getComputedStyle(document.activeElement!);
      return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor };
    });
    expect(ring).toEqual({ style: 'solid', width: 3, color: highlight });
    await page.getByRole('button', { name: 'Text display settings' }).click();
    await page.getByRole('radio', { name: 'Invisible, selectable' }).check();
    await page.keyboard.press('Escape');
    const invisible = page.locator('.tx-overlay[data-mode="selectable"] .tx-line').nth(2);
    await invisible.hover();
    await page.locator('.tx-focus').waitFor();
    expect(await page.locator('.tx-focus').evaluate((el) => getComputedStyle(el).borderTopColor)).toBe(highlight);
    // forced-color-adjust: none keeps selectable text transparent over the page's own writing.
    expect(await invisible.evaluate((el) => [getComputedStyle(el).forcedColorAdjust, getComputedStyle(el).color])).toEqual(['none', 'rgba(0, 0, 0, 0)']);
  });
});
