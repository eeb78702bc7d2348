import { BadRequestError } from '../errors.js';
import { checkQueryText } from './parse-query.js';

/** Parameters defined by Content Search 1.0/2.0 that we do not implement: listed in `ignored`. */
const unimplemented = ['date', 'user', 'uri'] as const;
const known = new Set<string>(['q', 'motivation', 'page', 'min', ...unimplemented]);
/** Longest query string we read at all. */
const maxQueryString = 4096;

export interface SearchParams {
  /** Null when absent. */
  readonly q: string | null;
  readonly motivation: string | null;
  readonly page: number;
  /** Autocomplete's `min` (null when absent). */
  readonly min: number | null;
  readonly ignored: readonly string[];
}

/** Decodes one `application/x-www-form-urlencoded` component, strictly: bad escapes or UTF-8 are a 400. */
function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new BadRequestError('The query string has invalid percent-encoding or UTF-8');
  }
}

const positive = (name: string, value: string): number => {
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new BadRequestError(`${name} must be a positive integer`);
  return Number(value);
};

/**
 * Reads the raw query string ourselves rather than through Express's lenient parser, which
 * would silently turn malformed escapes into replacement characters or arrays.
 */
export function readParams(rawQuery: string, kind: 'search' | 'autocomplete'): SearchParams {
  if (rawQuery.length > maxQueryString) throw new BadRequestError('The query string is too long');
  const values = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
    // Only our parameters must be unambiguous; anything else (a cache buster, say) is not read.
    if (!known.has(name)) continue;
    if (values.has(name)) throw new BadRequestError(`${name} is given more than once`);
    values.set(name, value);
  }
  const q = values.get('q') ?? null;
  if (q !== null) checkQueryText(q);
  const motivationValue = values.get('motivation')?.trim() ?? '';
  checkQueryText(motivationValue, 'motivation');
  const pageValue = values.get('page');
  const minValue = kind === 'autocomplete' ? values.get('min') : undefined;
  return {
    q,
    motivation: motivationValue === '' ? null : motivationValue,
    page: pageValue === undefined ? 1 : positive('page', pageValue),
    min: minValue === undefined || minValue === '' ? null : positive('min', minValue),
    // An empty parameter restricts nothing, so nothing was ignored.
    ignored: unimplemented.filter((name) => (values.get(name) ?? '') !== ''),
  };
}

/** Whether the motivations asked for (space separated, any may match) include one of ours. */
export function motivationMatches(asked: string | null, ours: readonly string[]): boolean {
  if (asked === null) return true;
  return asked.split(/\s+/).some((m) => ours.includes(m));
}
