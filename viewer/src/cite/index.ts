import { CiteControl, mapCiteState } from './CiteControl.js';

/** The "Cite this" button and dialog, in the window's top bar. */
export const citePlugin = [
  {
    name: 'CiteControl',
    target: 'WindowTopBarPluginArea',
    mode: 'add' as const,
    component: CiteControl,
    mapStateToProps: mapCiteState,
  },
];
