import type { UiLanguage } from '../locale.js';
import type { MiradorState } from '../selectors.js';
import { leafStatus } from './leaf-status.js';
import { LeafStatus } from './LeafStatus.js';

/** The viewer's accessible name and the leaf announcement, added to Mirador's OpenSeadragon viewer. */
export const leafStatusPlugin = [
  {
    name: 'LeafStatus',
    target: 'OpenSeadragonViewer',
    mode: 'add' as const,
    component: LeafStatus,
    mapStateToProps: (state: MiradorState, { windowId }: { windowId: string }) => {
      const lang: UiLanguage = state.config.language === 'en' ? 'en' : 'ru';
      return leafStatus(state, windowId, lang) ?? { label: '', index: 0, total: 0 };
    },
  },
];
