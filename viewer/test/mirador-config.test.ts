import { describe, expect, it } from 'vitest';
import { miradorConfig } from '../src/mirador-config.js';
import miradorRu from '../src/locales/mirador-ru.json';
import { translations } from '../src/locale.js';
import miradorEn from '../../node_modules/mirador/src/locales/en/translation.json';

const base = { elementId: 'viewer', manifestId: 'https://ex.org/m', language: 'ru' as const, embedded: false };

describe('Mirador configuration', () => {
  it('shows supplementing annotations (hidden by Mirador 4.0.0 by default) and loads tiles with CORS', () => {
    const c = miradorConfig(base);
    expect(c.annotations.filteredMotivations).toContain('supplementing');
    expect(c.osdConfig.crossOriginPolicy).toBe('Anonymous');
  });

  it('jumps instead of animating zoom and pan for a reader who asked for reduced motion', () => {
    expect(miradorConfig(base).osdConfig).not.toHaveProperty('animationTime');
    expect(miradorConfig({ ...base, reducedMotion: true }).osdConfig).toMatchObject({ animationTime: 0, gestureSettingsTouch: { flickEnabled: false } });
  });

  it('opens a deep link at its canvas and region', () => {
    const c = miradorConfig({ ...base, canvasId: 'https://ex.org/c/2', xywh: { x: 1, y: 2, w: 3, h: 4 } });
    expect(c.windows[0]).toMatchObject({ manifestId: base.manifestId, canvasId: 'https://ex.org/c/2', initialViewerConfig: { bounds: [1, 2, 3, 4] } });
  });

  it('opens the parallel text beside the image on the document page, not in an embed', () => {
    expect(miradorConfig(base).window).toMatchObject({ sideBarPanel: 'transcript', sideBarOpenByDefault: true });
    expect(miradorConfig({ ...base, embedded: true }).window.sideBarOpenByDefault).toBe(false);
    // On a phone-sized screen (or at 400 % zoom) the panel would only fit below the image: it starts closed.
    expect(miradorConfig({ ...base, narrow: true }).window.sideBarOpenByDefault).toBe(false);
  });
});

describe('Russian interface', () => {
  it('translates every string Mirador shows (its English locale’s keys, plurals in Russian forms)', () => {
    const english = Object.keys(miradorEn.translation);
    const singular = (k: string) => k.replace(/_(one|few|many|other)$/, '');
    const russian = new Set(Object.keys(miradorRu).map(singular));
    expect(english.map(singular).filter((k) => !russian.has(k))).toEqual([]);
  });

  it('has every string of our plugins in both languages', () => {
    const ours = (lang: 'ru' | 'en') => Object.keys(translations[lang]).filter((k) => k.startsWith('tx_') || k === 'openCompanionWindow_transcript');
    expect(ours('ru').sort()).toEqual(ours('en').sort());
    expect(ours('en').length).toBeGreaterThan(15);
  });
});
