import miradorRu from './locales/mirador-ru.json';

export type UiLanguage = 'ru' | 'en';
export const uiLanguages: readonly UiLanguage[] = ['ru', 'en'];

/** The reader's language: `?lang=` first, then the browser's preferences, then Russian (the document's). */
export function pickLanguage(param: string | null, browser: readonly string[]): UiLanguage {
  const candidates = [param ?? '', ...browser].map((tag) => tag.toLowerCase().split('-')[0]);
  return (candidates.find((c): c is UiLanguage => uiLanguages.includes(c as UiLanguage)) ?? 'ru') as UiLanguage;
}

/** Strings of our plugins, keyed like Mirador's (i18next, namespace "translation"). */
const ours = {
  en: {
    tx_overlay: 'Transcript on the image',
    tx_mode: 'Text display settings',
    tx_mode_off: 'Hidden',
    tx_mode_visible: 'Visible',
    tx_mode_selectable: 'Invisible, selectable',
    tx_layer: 'Text layer',
    tx_layer_ru: 'Russian transcription',
    tx_layer_en: 'English translation',
    tx_opacity: 'Backing opacity',
    tx_panel: 'Transcript and translation',
    openCompanionWindow_transcript: 'Transcript and translation',
    tx_panel_ru: 'Транскрипция (ru)',
    tx_panel_en: 'Translation (en)',
    tx_panel_empty: 'No text for this leaf.',
    tx_line_goto: 'Show on the image: {{text}}',
    tx_share: 'Share this view',
    tx_share_link: 'Link to this view',
    tx_share_content_state: 'IIIF content state link',
    tx_share_copy: 'Copy',
    tx_share_copied: 'Copied',
    tx_language: 'Interface language',
    tx_leaf_status: '{{label}} ({{index}} of {{total}})',
    tx_keys: 'Keyboard shortcuts',
    tx_keys_image: 'On the image (once it has focus)',
    tx_keys_pan: 'Move the image',
    tx_keys_zoom_in: 'Zoom in',
    tx_keys_zoom_out: 'Zoom out',
    tx_keys_home: 'Show the whole leaf',
    tx_keys_rotate: 'Rotate by 90° clockwise / anticlockwise',
    tx_keys_flip: 'Mirror the image',
    tx_keys_panel: 'In the transcript panel',
    tx_keys_lines: 'Previous or next line (paragraph)',
    tx_keys_other_language: 'The same passage in the other language',
    tx_keys_first_last: 'First or last line',
    tx_keys_show_line: 'Show the line on the image',
    tx_keys_page: 'Everywhere',
    tx_keys_tab: 'Next or previous control',
    tx_keys_close: 'Close',
    tx_panel_keys: 'Lines and paragraphs: arrow keys move between them, Enter shows one on the image',
  },
  ru: {
    tx_overlay: 'Текст на изображении',
    tx_mode: 'Настройки показа текста',
    tx_mode_off: 'Скрыт',
    tx_mode_visible: 'Видимый',
    tx_mode_selectable: 'Невидимый, выделяемый',
    tx_layer: 'Слой текста',
    tx_layer_ru: 'Русская транскрипция',
    tx_layer_en: 'Английский перевод',
    tx_opacity: 'Непрозрачность подложки',
    tx_panel: 'Транскрипция и перевод',
    openCompanionWindow_transcript: 'Транскрипция и перевод',
    tx_panel_ru: 'Транскрипция (ru)',
    tx_panel_en: 'Translation (en)',
    tx_panel_empty: 'Для этого листа нет текста.',
    tx_line_goto: 'Показать на изображении: {{text}}',
    tx_share: 'Поделиться этим видом',
    tx_share_link: 'Ссылка на этот вид',
    tx_share_content_state: 'Ссылка IIIF Content State',
    tx_share_copy: 'Копировать',
    tx_share_copied: 'Скопировано',
    tx_language: 'Язык интерфейса',
    tx_leaf_status: '{{label}} ({{index}} из {{total}})',
    tx_keys: 'Сочетания клавиш',
    tx_keys_image: 'На изображении (когда оно в фокусе)',
    tx_keys_pan: 'Сдвинуть изображение',
    tx_keys_zoom_in: 'Увеличить',
    tx_keys_zoom_out: 'Уменьшить',
    tx_keys_home: 'Показать лист целиком',
    tx_keys_rotate: 'Повернуть на 90° по / против часовой стрелки',
    tx_keys_flip: 'Отразить изображение',
    tx_keys_panel: 'В панели транскрипции',
    tx_keys_lines: 'Предыдущая или следующая строка (абзац)',
    tx_keys_other_language: 'То же место на другом языке',
    tx_keys_first_last: 'Первая или последняя строка',
    tx_keys_show_line: 'Показать строку на изображении',
    tx_keys_page: 'Везде',
    tx_keys_tab: 'Следующий или предыдущий элемент управления',
    tx_keys_close: 'Закрыть',
    tx_panel_keys: 'Строки и абзацы: стрелки — переход между ними, Enter — показать на изображении',
  },
} as const;

/** Mirador's `translations` setting: a full Russian locale plus our strings in both languages. */
export const translations = {
  ru: { ...miradorRu, ...ours.ru },
  en: { ...ours.en },
};

export const availableLanguages: Record<UiLanguage, string> = { ru: 'Русский', en: 'English' };
