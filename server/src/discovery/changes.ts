import { changesPage, changesRoot, discoveryContext } from './ids.js';

/** A published resource and when it last changed. */
export interface ChangedResource {
  readonly id: string;
  readonly type: 'Manifest' | 'Collection';
  readonly modified: Date;
}

export interface Activity {
  readonly type: 'Update';
  readonly object: { readonly id: string; readonly type: ChangedResource['type'] };
  readonly endTime: string;
}

/** Activities per page: fixed for the service, as the API wants (a client cannot choose it). */
export const defaultPageSize = 100;

/** xsd:dateTime in UTC, to the second. */
export const utcDateTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One activity per resource, oldest first (ties by id, so the order is stable). Only the
 * resources as they are now are known, not their history, so each is an `Update`: the API
 * allows that for a system that does not tell creation from modification, and it is what a
 * harvester needs to (re)fetch them. No `Delete`: a resource that is gone is not known either.
 */
export function activities(resources: readonly ChangedResource[]): Activity[] {
  return [...resources]
    .sort((a, b) => a.modified.getTime() - b.modified.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({ type: 'Update', object: { id: r.id, type: r.type }, endTime: utcDateTime(r.modified) }));
}

/** How many pages `total` activities take; an empty stream still has its one (empty) page. */
export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

const pageRef = (base: string, n: number) => ({ id: changesPage(base, n), type: 'OrderedCollectionPage' as const });

/** The OrderedCollection: the entry point, with the first and last pages. */
export function changesCollection(base: string, all: readonly Activity[], pageSize: number) {
  return {
    '@context': discoveryContext,
    id: changesRoot(base),
    type: 'OrderedCollection' as const,
    totalItems: all.length,
    first: pageRef(base, 0),
    last: pageRef(base, pageCount(all.length, pageSize) - 1),
  };
}

/** Page `n` (from 0) of the stream, or undefined past the last. */
export function changesPageAt(base: string, all: readonly Activity[], pageSize: number, n: number) {
  const pages = pageCount(all.length, pageSize);
  if (!Number.isSafeInteger(n) || n < 0 || n >= pages) return undefined;
  const startIndex = n * pageSize;
  return {
    '@context': discoveryContext,
    id: changesPage(base, n),
    type: 'OrderedCollectionPage' as const,
    partOf: { id: changesRoot(base), type: 'OrderedCollection' as const },
    startIndex,
    ...(n > 0 && { prev: pageRef(base, n - 1) }),
    ...(n < pages - 1 && { next: pageRef(base, n + 1) }),
    orderedItems: all.slice(startIndex, startIndex + pageSize),
  };
}
