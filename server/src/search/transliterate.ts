import iuliia from 'iuliia';

/**
 * Romanisation schemes whose spellings a reader is likely to type: Wikipedia (the most
 * common), BGN/PCGN and ALA-LC (libraries, maps), ICAO (passports), GOST 7.79 (scholarly),
 * GOST 7034, scientific transliteration and the informal "telegram" style.
 */
const schemes = [
  iuliia.WIKIPEDIA,
  iuliia.BGN_PCGN_ALT,
  iuliia.ALA_LC_ALT,
  iuliia.ICAO_DOC_9303,
  iuliia.GOST_779_ALT,
  iuliia.GOST_7034,
  iuliia.SCIENTIFIC,
  iuliia.TELEGRAM,
  iuliia.MOSMETRO,
];

/** Apostrophes, quotes and accents that schemes use for ъ/ь/э and that nobody types. */
function plainLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Every distinct Latin spelling of a folded Cyrillic word under the schemes above. */
export function latinSpellings(cyrillicWord: string): string[] {
  const forms = new Set<string>();
  for (const scheme of schemes) {
    const form = plainLatin(iuliia.translate(cyrillicWord, scheme));
    if (form !== '') forms.add(form);
  }
  return [...forms];
}
