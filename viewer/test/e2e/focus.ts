import type { Page } from 'playwright-core';

/** What the keyboard user sees of the focused element. */
export interface FocusedElement {
  /** Tag, role and name, e.g. `button "Zoom in"`. */
  name: string;
  classes: string;
  /** Whether an outline or box-shadow is drawn (style not none, at least 2 px wide). */
  ring: boolean;
  /** Contrast of the ring's colour against what it is drawn on (WCAG ratio). */
  contrast: number;
}

/** Reads the focused element's focus ring from computed styles (runs in the page). */
export function focused(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const rgba = (c: string): [number, number, number, number] => {
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    /** The colour painted behind a point of `from`: its and its ancestors' backgrounds, composited. */
    const backdrop = (from: Element | null) => {
      const layers: [number, number, number, number][] = [];
      for (let e = from; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 0.99) break;
      }
      let out = [255, 255, 255];
      for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0]! * (1 - a), g * a + out[1]! * (1 - a), b * a + out[2]! * (1 - a)];
      return out;
    };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
    const shadow = cs.boxShadow !== 'none';
    const colour = rgba(outline ? cs.outlineColor : (cs.boxShadow.match(/rgba?\([^)]*\)/)?.[0] ?? 'rgba(0,0,0,0)'));
    // A ring drawn inside the element is seen against the element; outside, against its parent.
    const behind = backdrop(outline && parseFloat(cs.outlineOffset) < 0 ? el : el.parentElement);
    const [l1, l2] = [luminance(colour), luminance(behind)].sort((a, b) => b - a);
    const name = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
    return {
      name: `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''} "${name}"`,
      classes: el.className.toString(),
      ring: outline || shadow,
      contrast: Math.round(((l1! + 0.05) / (l2! + 0.05)) * 100) / 100,
    };
  });
}

/** Presses Tab until `match` is focused; returns how many presses it took (or `limit + 1`). */
export async function tabsUntil(page: Page, match: (f: FocusedElement) => boolean, limit: number): Promise<number> {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && match(f)) return i;
  }
  return limit + 1;
}
