import { OSDReferences, updateWindow, type Dispatch, type Thunk } from 'mirador';
import type { TranscriptItem } from '../annotations.js';
import { canvasToWorld, padRect } from '../geometry.js';
import {
  alignRows,
  getItemsInView,
  getLayerItems,
  getPlacements,
  getTranscriptFocus,
  getVisibleCanvasIds,
  type AlignedRow,
  type MiradorState,
} from '../selectors.js';
import { viewerBounds } from '../viewer-bounds.js';
import { PanelIcon } from './PanelIcon.js';
import { TranscriptPanel } from './TranscriptPanel.js';

interface Props {
  windowId: string;
}

let rowsCache: { ru: unknown; en: unknown; rows: AlignedRow[] } | null = null;
function rowsFor(ru: readonly TranscriptItem[], en: readonly TranscriptItem[]): AlignedRow[] {
  if (rowsCache?.ru !== ru || rowsCache.en !== en) rowsCache = { ru, en, rows: alignRows(ru, en) };
  return rowsCache.rows;
}

/** Pans and zooms the window's OpenSeadragon viewer to an item's region (with a margin). */
export const goToItem =
  (windowId: string, item: TranscriptItem): Thunk =>
  (_dispatch, getState) => {
    const viewer = OSDReferences.get(windowId)?.current;
    const placement = getPlacements(getState() as MiradorState, windowId).get(item.canvasId);
    if (!viewer || !placement || !item.box) return;
    const r = padRect(canvasToWorld(item.box, placement), 0.08);
    // A Rect cloned from the viewer's own: importing openseadragon would load a second copy.
    const rect = viewer.viewport.getBounds().clone();
    Object.assign(rect, { x: r.x, y: r.y, width: r.w, height: r.h, degrees: 0 });
    viewer.viewport.fitBounds(rect, false);
  };

/** The parallel transcript panel: a side bar button and the companion window it opens. */
export const transcriptPanelPlugin = [
  {
    name: 'TranscriptPanelButton',
    target: 'WindowSideBarButtons',
    mode: 'add' as const,
    component: PanelIcon,
  },
  {
    name: 'TranscriptPanel',
    companionWindowKey: 'transcript',
    component: TranscriptPanel,
    mapStateToProps: (state: MiradorState, { windowId }: Props) => {
      const ru = getLayerItems(state, windowId, 'ru');
      const en = getLayerItems(state, windowId, 'en');
      return {
        rows: rowsFor(ru, en),
        canvasKey: getVisibleCanvasIds(state, windowId).join(' '),
        focus: getTranscriptFocus(state, windowId),
        inView: getItemsInView(state, windowId, [...ru, ...en], viewerBounds(windowId)).join(' '),
      };
    },
    mapDispatchToProps: (dispatch: Dispatch, { windowId }: Props) => ({
      setFocus: (id: string | null) => dispatch(updateWindow(windowId, { transcriptFocus: id })),
      goTo: (item: TranscriptItem) => {
        dispatch(updateWindow(windowId, { transcriptSelected: item.id }));
        dispatch(goToItem(windowId, item));
      },
    }),
  },
];
