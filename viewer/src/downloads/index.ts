import { DownloadMenu, mapDownloadState } from './DownloadMenu.js';

/** The download menu, in the window's top bar. */
export const downloadPlugin = [
  {
    name: 'DownloadMenu',
    target: 'WindowTopBarPluginArea',
    mode: 'add' as const,
    component: DownloadMenu,
    mapStateToProps: mapDownloadState,
  },
];
