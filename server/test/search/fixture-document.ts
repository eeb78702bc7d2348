import type { ArchivalDocument, Box, Leaf, TextBlock, TranslationParagraph } from '../../src/document/model.js';

/**
 * A small document built from the model types, with text from the cable (seed file) and
 * made-up but regular geometry: every character is 20 px wide, lines 60 px apart, words
 * separated by one character. Box of a word = (100 + 20·column, 100 + 60·line, 20·length, 50).
 * One Russian word is broken by a hyphen at a line end, as in a real ALTO file.
 */
export function wordBox(line: number, column: number, length: number): Box {
  return { x: 100 + 20 * column, y: 100 + 60 * line, w: 20 * length, h: 50 };
}

let lineCounter = 0;

function block(leaf: string, n: number, lines: string[]): TextBlock {
  const built = lines.map((text, i) => {
    const line = lineCounter++;
    let column = 0;
    const words = text.split(' ').map((w, j) => {
      const word = { id: `${leaf}-b${n}-l${i + 1}-w${j + 1}`, text: w, box: wordBox(line, column, w.length) };
      column += w.length + 1;
      return word;
    });
    return {
      id: `${leaf}-b${n}-l${i + 1}`,
      text,
      box: { x: 100, y: 100 + 60 * line, w: 20 * text.length, h: 50 },
      words,
    };
  });
  const xs = built.map((l) => l.box);
  return {
    id: `${leaf}-b${n}`,
    box: {
      x: 100,
      y: xs[0]!.y,
      w: Math.max(...xs.map((b) => b.w)),
      h: xs[xs.length - 1]!.y + 50 - xs[0]!.y,
    },
    lines: built,
  };
}

function altoLeaf(id: string, folio: number, blocks: TextBlock[], paragraphs: TranslationParagraph[]): Leaf {
  return {
    id,
    folio,
    label: { ru: [`л. ${folio}`], en: [`f. ${folio}`] },
    image: `fixture-${id}`,
    transcription: { language: 'ru', format: 'alto', file: `${id}.alto.xml`, blocks },
    translation: { language: 'en', file: `${id}.en.json`, paragraphs },
  };
}

export function fixtureDocument(version = 'fixture-1'): ArchivalDocument {
  lineCounter = 0;
  const l43 = altoLeaf(
    'l43',
    43,
    [
      block('l43', 1, ['Товарищ Филиппов!']),
      block('l43', 2, [
        'Что касается переговоров о прекращении военных действий в Корее,',
        'то в ходе двух заседаний американцы, в целях затяжки времени,',
      ]),
      block('l43', 3, ['не могут быть допущены южнее Кайдзъё путём односторонних']),
    ],
    [
      { id: 'l43-en1', text: 'Cde. Filippov!', targets: ['l43-b1'] },
      {
        id: 'l43-en2',
        text: 'Regarding the ceasefire negotiations in Korea, during two meetings the Americans deliberately raised the issue.',
        targets: ['l43-b2'],
      },
      { id: 'l43-en3', text: 'No correspondents can be allowed south of Kaesong.', targets: ['l43-b3-l1'] },
    ],
  );
  lineCounter = 0;
  const l44 = altoLeaf(
    'l44',
    44,
    [
      block('l44', 1, ['пункт о создании конкретной разгранлинии по 38 параллели, а оставить']),
      block('l44', 2, ['в течение нескольких месяцев, если пере-', 'говоры сорвутся, с тем чтобы нанести']),
    ],
    [
      { id: 'l44-en1', text: 'the creation of a specific boundary along the 38th parallel', targets: ['l44-b1'] },
      { id: 'l44-en2', text: 'for several months if the negotiations collapse', targets: ['unknown-id'] },
    ],
  );
  const l45: Leaf = {
    id: 'l45',
    folio: 45,
    label: { ru: ['л. 45'], en: ['f. 45'] },
    image: 'fixture-l45',
    transcription: {
      language: 'ru',
      format: 'text',
      file: 'l45.txt',
      blocks: [
        {
          id: 'l45-b1',
          box: null,
          lines: [{ id: 'l45-b1-l1', text: 'Всё ли вышеуказанное правильно? МАО ЦЗЭДУН', box: null, words: [] }],
        },
      ],
    },
    translation: null,
  };
  return {
    id: 'fixture-doc',
    dir: '/nonexistent',
    record: {} as ArchivalDocument['record'],
    leaves: [l43, l44, l45],
    contents: [],
    version,
    modified: new Date('2026-01-01T00:00:00Z'),
    files: new Map(['l43.alto.xml', 'l43.en.json', 'l44.alto.xml', 'l44.en.json', 'l45.txt'].map((f) => [f, Buffer.from('')])),
  };
}
