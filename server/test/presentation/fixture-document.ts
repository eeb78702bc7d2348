import type { ArchivalDocument, DocumentRecord } from '../../src/document/model.js';
import type { BuildInput } from '../../src/presentation/build-input.js';

const record: DocumentRecord = {
  title: { ru: ['Тестовая телеграмма'], en: ['Test cable'] },
  summary: { ru: ['Краткое содержание.'], en: ['Summary.'] },
  date: '1951-07-13',
  reference: { ru: 'Архив. Ф. 1. Оп. 2. Д. 3. Л. 1–2.', en: 'Archive, f. 1, op. 2, d. 3, ll. 1–2' },
  hierarchy: [
    { id: 'a-f1', label: { ru: ['Ф. 1'], en: ['f. 1'] } },
    { id: 'a-f1-op2', label: { ru: ['Ф. 1. Оп. 2'], en: ['f. 1, op. 2'] } },
    { id: 'a-f1-op2-d3', label: { ru: ['Ф. 1. Оп. 2. Д. 3'], en: ['f. 1, op. 2, d. 3'] } },
  ],
  repository: { label: { ru: ['Архив'], en: ['Archive'] } },
  creator: { ru: ['Автор'], en: ['Author'] },
  recipient: { ru: ['Адресат'], en: ['Recipient'] },
  originalLanguage: { ru: ['русский'], en: ['Russian'] },
  translator: { ru: ['Переводчик'], en: ['Translator'] },
  source: { label: { en: ['Source <record>'] }, url: 'https://example.org/record/1', recordId: '1', citation: 'Citation.' },
  credits: { en: ['Credits.'] },
  apparatus: [{ label: { en: ['Cable number'] }, value: { en: ['N° 1'] } }],
  rights: { uri: 'http://rightsstatements.org/vocab/CNE/1.0/', reason: 'Not evaluated.' },
  facsimileNotice: { ru: ['Реконструкция.'], en: ['Reconstruction.'] },
  attribution: { ru: ['Атрибуция.'], en: ['Attribution.'] },
};

/** A two-leaf document: f. 1 from ALTO with geometry and a translation, f. 2 from plain text. */
export const fixtureDocument: ArchivalDocument = {
  id: 'test-doc',
  dir: '/nonexistent/test-doc',
  version: 'v1',
  modified: new Date('2026-01-01T00:00:00Z'),
  // Stand-ins for the files the leaves link to: served as they are, never parsed again.
  files: new Map([
    ['l001.alto.xml', Buffer.from('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"/>\n')],
    ['l001.en.json', Buffer.from('{"language":"en","paragraphs":[]}\n')],
    ['l002.txt', Buffer.from('Текст без координат.\n')],
  ]),
  record,
  contents: [
    { id: 'opening', label: { ru: ['Начало'], en: ['Opening'] }, targets: ['l1-b1'], items: [] },
    { id: 'rest', label: { ru: ['Остальное'], en: ['The rest'] }, targets: ['l1-b2-l1', 'l2-b1'], items: [] },
  ],
  leaves: [
    {
      id: 'l1',
      folio: 1,
      label: { ru: ['л. 1'], en: ['f. 1'] },
      image: 'test-l001',
      transcription: {
        language: 'ru',
        format: 'alto',
        file: 'l001.alto.xml',
        page: { width: 1000, height: 1400 },
        blocks: [
          {
            id: 'l1-b1',
            box: { x: 100, y: 100, w: 500, h: 60 },
            lines: [
              {
                id: 'l1-b1-l1',
                text: 'Товарищ Филиппов!',
                box: { x: 100, y: 100, w: 500, h: 60 },
                words: [
                  { id: 'w1', text: 'Товарищ', box: { x: 100, y: 100, w: 240, h: 60 } },
                  { id: 'w2', text: 'Филиппов!', box: { x: 360, y: 100, w: 240, h: 60 } },
                ],
              },
            ],
          },
          {
            id: 'l1-b2',
            box: { x: 100, y: 200, w: 800, h: 130 },
            lines: [
              { id: 'l1-b2-l1', text: 'Первая строка', box: { x: 100, y: 200, w: 800, h: 60 }, words: [] },
              { id: 'l1-b2-l2', text: 'вторая строка.', box: { x: 100, y: 270, w: 600, h: 60 }, words: [] },
            ],
          },
        ],
      },
      translation: {
        language: 'en',
        file: 'l001.en.json',
        paragraphs: [
          { id: 'l1-en1', text: 'Cde. Filippov!', targets: ['l1-b1'] },
          { id: 'l1-en2', text: 'First line second line.', targets: ['l1-b2-l1', 'l1-b2-l2'] },
        ],
      },
    },
    {
      id: 'l2',
      folio: 2,
      label: { ru: ['л. 2'], en: ['f. 2'] },
      image: 'test-l002',
      transcription: {
        language: 'ru',
        format: 'text',
        file: 'l002.txt',
        blocks: [{ id: 'l2-b1', box: null, lines: [{ id: 'l2-b1-l1', text: 'Текст без координат.', box: null, words: [] }] }],
      },
      translation: null,
    },
  ],
};

/** The image service's grid as the default configuration sets it. */
export const imageConfig: BuildInput['imageConfig'] = {
  tileSize: 512,
  limits: { maxWidth: 10_000, maxHeight: 10_000, maxArea: 40_000_000, inputPixels: 268_402_689 },
};

export const fixtureInput = (overrides: Partial<BuildInput> = {}): BuildInput => ({
  base: 'https://iiif.example.org',
  document: fixtureDocument,
  images: new Map([
    ['l1', { id: 'test-l001', width: 1000, height: 1400 }],
    ['l2', { id: 'test-l002', width: 1000, height: 1400 }],
  ]),
  imageConfig,
  ...overrides,
});
