import type { Rect } from './geometry.js';
import { availableLanguages, translations, type UiLanguage } from './locale.js';

export interface ViewerOptions {
  /** Id of the element Mirador renders into. */
  elementId: string;
  manifestId: string;
  canvasId?: string;
  /** Region of the canvas to open at (canvas pixels; single view places the canvas at the origin). */
  xywh?: Rect;
  language: UiLanguage;
  /** The embed page hides the workspace chrome and the window's close/maximise controls. */
  embedded: boolean;
  /** Opens the search panel, for this query (Content Search 1.0, declared in the manifest). */
  searchQuery?: string;
  /** The reader asked for less motion (`prefers-reduced-motion`): zoom and pan jump, without animation. */
  reducedMotion?: boolean;
  /** A phone-sized screen (or a desktop at 400 % zoom): the side panel would only fit below the image, so it starts closed. */
  narrow?: boolean;
}

/** The Mirador 4 configuration for our pages. */
export function miradorConfig(o: ViewerOptions) {
  return {
    id: o.elementId,
    language: o.language,
    availableLanguages,
    translations,
    annotations: {
      htmlSanitizationRuleSet: 'iiif',
      // Mirador 4.0.0 hides supplementing annotations (our transcripts) unless listed here.
      filteredMotivations: ['oa:commenting', 'oa:tagging', 'sc:painting', 'commenting', 'tagging', 'supplementing'],
    },
    // Same-origin tiles with CORS: canvases stay untainted (image tools, thumbnails).
    osdConfig: {
      crossOriginPolicy: 'Anonymous',
      ...(o.reducedMotion && { animationTime: 0, gestureSettingsTouch: { flickEnabled: false } }),
    },
    selectedTheme: 'light',
    theme: { palette: { primary: { main: '#7a1f1f' }, secondary: { main: '#7a1f1f' } } },
    window: {
      allowClose: false,
      allowMaximize: false,
      allowFullscreen: true,
      // The parallel text opens beside the image on the document page; embeds and narrow screens start with the image alone.
      sideBarPanel: 'transcript',
      sideBarOpenByDefault: !o.embedded && !o.narrow,
      defaultSidebarPanelWidth: 440,
      hideWindowTitle: o.embedded,
      showLocalePicker: true,
      // Book view for any manifest: the leaves of a cable read well as spreads, whatever `behavior` says.
      views: [{ key: 'single' }, { key: 'book' }, { key: 'gallery' }],
      panels: { info: true, attribution: true, canvas: true, annotations: true, search: true, layers: false },
    },
    thumbnailNavigation: { defaultPosition: o.embedded ? 'off' : 'far-bottom' },
    workspace: { type: 'mosaic', allowNewWindows: false, showZoomControls: true, isWorkspaceAddVisible: false },
    workspaceControlPanel: { enabled: false },
    windows: [
      {
        manifestId: o.manifestId,
        ...(o.canvasId && { canvasId: o.canvasId }),
        ...(o.canvasId && o.xywh && { initialViewerConfig: { bounds: [o.xywh.x, o.xywh.y, o.xywh.w, o.xywh.h] } }),
        thumbnailNavigationPosition: o.embedded ? 'off' : 'far-bottom',
        // The query itself is run by search-query.ts once the manifest is loaded.
        ...(o.searchQuery && { sideBarPanel: 'search', sideBarOpen: true }),
      },
    ],
  };
}
