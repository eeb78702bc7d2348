/**
 * Reads the published edition (the seed file) and cuts it into what the facsimile needs:
 * the Russian body paragraphs and the English body paragraphs, each split onto leaves 43–45.
 * Nothing here writes or rewords text: every string returned is a substring of the seed.
 */

/** How a paragraph is set on the page. */
export type ParagraphKind = 'salutation' | 'paragraph' | 'item' | 'continuation' | 'signature';

export interface SourceParagraph {
  readonly kind: ParagraphKind;
  readonly text: string;
}

export interface SeedLeaf {
  readonly folio: number;
  readonly russian: readonly SourceParagraph[];
  readonly english: readonly string[];
}


const ELLIPSIS = '[...]';
const ENGLISH_BODY_START = 'to Cde. FILIPPOV Cde. Filippov!';
const ENGLISH_ADDRESS = 'to Cde. FILIPPOV';
const ENGLISH_BODY_END = 'MAO ZEDONG';

/**
 * Where the leaves break, as the English translation shows it (the only place the seed marks
 * page breaks: a blank line where the text does not break a paragraph). The Russian break
 * points are the words that translate the same place; see docs/document-data.md.
 */
const ENGLISH_BREAKS = [
  { after: 'an armistice, and observation.', before: '5. Measures regarding prisoners' },
  { after: 'discussion of specific issues about', before: 'the agenda. At the same time' },
] as const;
const RUSSIAN_BREAKS = [
  { after: 'перемирия и наблюдения.', before: '5. Мероприятия относительно пленных' },
  { after: 'до обсуждения конкретных вопросов по', before: 'повестке дня. Одновременно' },
] as const;
/** A blank line inside a sentence of the Russian web page, not a page or paragraph break. */
const RUSSIAN_ARTEFACT = { after: 'об отводе', before: 'своих войск от 38 параллели' } as const;

function fail(message: string): never {
  throw new Error(`seed: ${message}`);
}

function onlyIndex(haystack: string, needle: string): number {
  const at = haystack.indexOf(needle);
  if (at < 0 || haystack.indexOf(needle, at + 1) >= 0) fail(`expected exactly one "${needle}"`);
  return at;
}

/** Splits at a break marker "after⏎⏎before" (or "after before" inside a joined paragraph). */
function splitAt(text: string, br: { after: string; before: string }): [string, string] {
  const a = onlyIndex(text, br.after) + br.after.length;
  const b = onlyIndex(text, br.before);
  if (!/^\s+$/.test(text.slice(a, b))) fail(`"${br.after}" is not followed by "${br.before}"`);
  return [text.slice(0, a), text.slice(b)];
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .flatMap((p) => p.split('\n')) // numbered items are single lines inside one blank-line block
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function russianKind(text: string, continuesSentence: boolean): ParagraphKind {
  if (continuesSentence) return 'continuation';
  if (/^\d+\.\s/.test(text)) return 'item';
  if (text === 'МАО ЦЗЭДУН') return 'signature';
  if (text.endsWith('!') && text.split(' ').length <= 3) return 'salutation';
  return 'paragraph';
}

/** Parses the seed file's text. Throws if any marker it relies on is missing or ambiguous. */
export function parseSeed(seed: string): SeedLeaf[] {
  const opening = seed.indexOf(`\n${ELLIPSIS}\n`);
  if (opening < 0) fail('no [...] before the Russian text');
  const first = opening + ELLIPSIS.length + 2;
  const second = seed.indexOf(`\n${ELLIPSIS}\n`, first);
  if (second < 0) fail('no closing [...] after the Russian text');
  let russian = seed.slice(first, second).trim();
  russian = russian.replace(
    new RegExp(`${RUSSIAN_ARTEFACT.after}\\s*\\n\\s*\\n\\s*${RUSSIAN_ARTEFACT.before}`),
    `${RUSSIAN_ARTEFACT.after} ${RUSSIAN_ARTEFACT.before}`,
  );
  if (russian.includes(`${RUSSIAN_ARTEFACT.after}\n`)) fail('the Russian artefact break was not joined');

  const afterRussian = seed.slice(second + ELLIPSIS.length + 2);
  const bodyStart = onlyIndex(afterRussian, ENGLISH_BODY_START);
  const bodyEnd = onlyIndex(afterRussian, `\n${ENGLISH_BODY_END}\n`) + ENGLISH_BODY_END.length + 1;
  // "to Cde. FILIPPOV" is the header's address line; "Cde. Filippov!" is the salutation.
  const english = afterRussian.slice(bodyStart + ENGLISH_ADDRESS.length, bodyEnd).trim();

  const ruParts = splitInThree(russian, RUSSIAN_BREAKS);
  const enParts = splitInThree(english, ENGLISH_BREAKS);
  return [43, 44, 45].map((folio, i) => {
    const ru = paragraphs(ruParts[i] as string);
    const en = paragraphs(enParts[i] as string);
    if (ru.length !== en.length) {
      fail(`l. ${folio}: ${ru.length} Russian paragraphs but ${en.length} English ones`);
    }
    return {
      folio,
      // l. 45 opens in the middle of the sentence that l. 44 breaks off.
      russian: ru.map((text, j) => ({ kind: russianKind(text, i === 2 && j === 0), text })),
      english: en,
    };
  });
}

function splitInThree(
  text: string,
  breaks: readonly [{ after: string; before: string }, { after: string; before: string }],
): [string, string, string] {
  const [one, rest] = splitAt(text, breaks[0]);
  const [two, three] = splitAt(rest, breaks[1]);
  return [one, two, three];
}
