import { requestCanvasAnnotations, updateConfig, updateWindow, type Dispatch } from 'mirador';
import type { TranscriptItem } from '../annotations.js';
import { shownLeafLabels } from '../leaf-status/leaf-status.js';
import type { UiLanguage } from '../locale.js';
import {
  getCanvasesWithoutAnnotations,
  getCanvasItems,
  getLayerItems,
  getTranscriptFocus,
  getTranscriptSettings,
  getVisibleCanvasIds,
  type MiradorState,
  type TranscriptSettings,
} from '../selectors.js';
import { mapShareState, ShareControl } from '../share/ShareControl.js';
import { OverlayControls } from './OverlayControls.js';
import { TranscriptOverlay } from './TranscriptOverlay.js';

interface WindowProps {
  windowId: string;
}

function focusItem(state: MiradorState, windowId: string): TranscriptItem | null {
  const id = getTranscriptFocus(state, windowId);
  if (!id) return null;
  for (const canvasId of getVisibleCanvasIds(state, windowId)) {
    const hit = getCanvasItems(state, canvasId).find((i) => i.id === id);
    if (hit) return hit;
  }
  return null;
}

/** The transcript overlay (on OpenSeadragon) and its controls (in the window top bar). */
export const transcriptOverlayPlugin = [
  {
    name: 'TranscriptOverlay',
    target: 'OpenSeadragonViewer',
    mode: 'add' as const,
    component: TranscriptOverlay,
    mapStateToProps: (state: MiradorState, { windowId }: WindowProps) => {
      const settings = getTranscriptSettings(state, windowId);
      return {
        settings,
        items: getLayerItems(state, windowId, settings.layer),
        focusItem: focusItem(state, windowId),
        missing: getCanvasesWithoutAnnotations(state, windowId).join(' '),
        leafLabels: shownLeafLabels(state, windowId, state.config.language === 'en' ? 'en' : 'ru'),
      };
    },
    mapDispatchToProps: (dispatch: Dispatch, { windowId }: WindowProps) => ({
      setFocus: (id: string | null) => dispatch(updateWindow(windowId, { transcriptFocus: id })),
      requestAnnotations: (canvasId: string) => dispatch(requestCanvasAnnotations(windowId, canvasId)),
    }),
  },
  {
    name: 'TranscriptControls',
    target: 'WindowTopBarPluginArea',
    mode: 'add' as const,
    component: OverlayControls,
    mapStateToProps: (state: MiradorState, { windowId }: WindowProps) => ({
      settings: getTranscriptSettings(state, windowId),
      language: (state.config.language === 'en' ? 'en' : 'ru') as UiLanguage,
    }),
    mapDispatchToProps: (dispatch: Dispatch, { windowId }: WindowProps) => ({
      save: (settings: TranscriptSettings) => dispatch(updateWindow(windowId, { transcriptOverlay: settings })),
      setLanguage: (language: UiLanguage) => dispatch(updateConfig({ language })),
    }),
  },
  {
    name: 'ShareControl',
    target: 'WindowTopBarPluginArea',
    mode: 'add' as const,
    component: ShareControl,
    mapStateToProps: mapShareState,
  },
];
