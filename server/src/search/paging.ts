import { NotFoundError } from '../errors.js';

/** The query as echoed in ids and links: only the parameters we act on (ignored ones are dropped). */
export interface EchoedQuery {
  readonly q: string;
  readonly motivation: string | null;
}

/** `service?q=…&motivation=…&page=…`, the parameters in a fixed order so ids are canonical. */
export function queryUrl(service: string, query: EchoedQuery, page?: number): string {
  const params = new URLSearchParams({ q: query.q });
  if (query.motivation !== null) params.set('motivation', query.motivation);
  if (page !== undefined) params.set('page', String(page));
  return `${service}?${params}`;
}

export interface PageSlice<T> {
  readonly items: readonly T[];
  /** 1-based page number and page count (at least 1: an empty result is one empty page). */
  readonly page: number;
  readonly pages: number;
  /** Index of the first item of this page in the whole result. */
  readonly startIndex: number;
}

/** One page of a result; asking past the last page is a 404, as that page does not exist. */
export function slicePage<T>(all: readonly T[], page: number, pageSize: number): PageSlice<T> {
  const pages = Math.max(1, Math.ceil(all.length / pageSize));
  if (page > pages) throw new NotFoundError(`No page ${page}: this result has ${pages}`);
  const startIndex = (page - 1) * pageSize;
  return { items: all.slice(startIndex, startIndex + pageSize), page, pages, startIndex };
}
