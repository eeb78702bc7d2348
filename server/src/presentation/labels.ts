import type { InternationalString } from '@iiif/presentation-3';
import type { Layer } from './ids.js';
import { bi } from './language.js';

/** Interface strings of the published resources, in both languages. */
export const labels = {
  layer: {
    transcription: bi('Транскрипция (рус.)', 'Transcription (Russian)'),
    translation: bi('Перевод (англ.)', 'Translation (English)'),
  } satisfies Record<Layer, InternationalString>,
  contents: bi('Содержание', 'Contents'),
  sequence: bi('Листы по порядку', 'Leaves in order'),
  attribution: bi('Атрибуция', 'Attribution'),
  date: bi('Дата', 'Date'),
  reference: bi('Архивный шифр', 'Archival reference'),
  repository: bi('Место хранения', 'Repository'),
  creator: bi('Автор', 'Creator'),
  recipient: bi('Адресат', 'Recipient'),
  originalLanguage: bi('Язык оригинала', 'Original language'),
  translator: bi('Перевод', 'Translation'),
  source: bi('Источник публикации', 'Source'),
  citation: bi('Цитирование', 'Citation'),
  credits: bi('Благодарности', 'Credits'),
  facsimile: bi('Изображения', 'Images'),
  rights: bi('Права', 'Rights'),
  homepage: bi('Страница документа', 'Document page'),
  provider: bi('Телеграмма № 21756: издание IIIF', 'Cable No. 21756: IIIF edition'),
  alto: bi('Транскрипция, ALTO XML', 'Transcription, ALTO XML'),
  page: bi('Транскрипция, PAGE XML', 'Transcription, PAGE XML'),
  hocr: bi('Транскрипция, hOCR', 'Transcription, hOCR'),
  plainTranscription: bi('Транскрипция, простой текст', 'Transcription, plain text'),
  plainTranslation: bi('Перевод на английский, простой текст', 'English translation, plain text'),
  pdf: bi('Документ в PDF: изображения листов с текстовым слоем, перевод', 'PDF of the document: page images with searchable text, translation'),
  leafPdf: bi('Лист в PDF: изображение с текстовым слоем, перевод', 'PDF of the leaf: page image with searchable text, translation'),
  leafTranscription: bi('Транскрипция листа, простой текст', 'Transcription of the leaf, plain text'),
  alignedTranslation: bi(
    'Перевод листа с привязкой к абзацам транскрипции, JSON',
    'Translation of the leaf aligned to the transcription, JSON',
  ),
};

/** e.g. «Транскрипция (рус.), л. 43» / "Transcription (Russian), f. 43". */
export function pageLabel(layer: Layer, leafLabel: InternationalString): InternationalString {
  const text = (language: 'ru' | 'en') => {
    const leaf = leafLabel[language]?.[0] ?? leafLabel.none?.[0] ?? '';
    return `${labels.layer[layer][language]![0]}, ${leaf}`;
  };
  return bi(text('ru'), text('en'));
}
