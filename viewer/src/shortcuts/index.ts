import { ShortcutsHelp } from './ShortcutsHelp.js';

/** The keyboard shortcuts button and dialog, in the window's top bar. */
export const shortcutsPlugin = [
  {
    name: 'ShortcutsHelp',
    target: 'WindowTopBarPluginArea',
    mode: 'add' as const,
    component: ShortcutsHelp,
  },
];
