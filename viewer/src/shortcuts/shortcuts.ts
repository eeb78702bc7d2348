/**
 * The keys that work in the viewer, as the help dialog lists them. The image's keys are
 * OpenSeadragon's own (its canvas handler, when the image has focus); the panel's are ours
 * (transcript-panel/roving.ts). Keys are shown as written on the keyboard.
 */
export const shortcutGroups = [
  {
    title: 'tx_keys_image',
    rows: [
      { keys: ['←', '↑', '→', '↓', 'W', 'A', 'S', 'D'], action: 'tx_keys_pan' },
      { keys: ['=', 'Shift+↑'], action: 'tx_keys_zoom_in' },
      { keys: ['-', 'Shift+↓'], action: 'tx_keys_zoom_out' },
      { keys: ['0'], action: 'tx_keys_home' },
      { keys: ['R', 'Shift+R'], action: 'tx_keys_rotate' },
      { keys: ['F'], action: 'tx_keys_flip' },
    ],
  },
  {
    title: 'tx_keys_panel',
    rows: [
      { keys: ['↑', '↓'], action: 'tx_keys_lines' },
      { keys: ['←', '→'], action: 'tx_keys_other_language' },
      { keys: ['Home', 'End'], action: 'tx_keys_first_last' },
      { keys: ['Enter'], action: 'tx_keys_show_line' },
    ],
  },
  {
    title: 'tx_keys_page',
    rows: [{ keys: ['Tab', 'Shift+Tab'], action: 'tx_keys_tab' }],
  },
] as const;
