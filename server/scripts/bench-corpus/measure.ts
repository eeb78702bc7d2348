/**
 * The corpus benchmark's traffic, through HTTP only: a crawler's walk over random documents
 * (manifest 3.0, one annotation page, one search each), `concurrency` requests at a time; then
 * a reader's requests of the same kinds on a sample (warm), `warmConcurrency` at a time; and
 * the delo collections cold and warm. After each phase, the floor: `/healthz` as often and as
 * concurrently. Latencies are per request, headers to the body's last byte, over keep-alive
 * connections. Requests take gzip and brotli, as browsers and harvesters do; a body is
 * decompressed only where the crawler reads it, outside the latency.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { collectionId, documentIds } from '../../src/presentation/ids.js';
import { percentile, random } from '../bench-stats.js';
import { eachLimited } from './each-limited.js';

export type Kind = 'manifest' | 'annotationPage' | 'collection' | 'search';
export const kinds: readonly Kind[] = ['manifest', 'annotationPage', 'collection', 'search'];

export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

export interface Measured {
  readonly cold: Record<Kind, Latency>;
  readonly warm: Record<Kind, Latency>;
  /** Documents visited by the walk (with repeats when the corpus is smaller than the walk). */
  readonly walked: number;
  /** RSS (MiB) once the walk is done, before the warm phases. */
  readonly rssAfterWalk: number;
  /**
   * `/healthz` (an answer with no work behind it) asked as often as the warm phase asked,
   * at the same concurrency, right after it: what this machine's client, kernel and HTTP
   * stack cost a request, the floor under every warm latency of the run.
   */
  readonly floor: Latency;
  /** The same, as often and as concurrently as the walk: the floor under the cold latencies. */
  readonly walkFloor: Latency;
  /** Answers other than 200, by kind and status, with an example path. */
  readonly failures: readonly string[];
}

export interface MeasureOptions {
  readonly origin: string;
  readonly documents: readonly string[];
  readonly delos: readonly string[];
  /** Documents the walk visits. */
  readonly walk: number;
  /** Documents of the walk visited again in the warm phase, and how many times. */
  readonly warm: number;
  readonly rounds: number;
  /** Connections of the walk and the cold delo collections. */
  readonly concurrency: number;
  /** Connections of the warm phase and the floor. */
  readonly warmConcurrency: number;
  readonly requestTimeoutMs: number;
  readonly seed: number;
  /** The service's RSS now, in MiB. */
  readonly rss: () => number;
  /** Throws when the service is gone (killed or exited), so a phase stops at once. */
  readonly alive: () => void;
}

/** The query of the walk, and the other queries of the warm phase: each runs on a warm index, none is a cached answer. */
const coldQuery = 'переговоры';
const warmQueries = ['Kaesong', 'negotiations', '"38 параллели"', 'peregovory', 'перемирие', 'Korea', 'иностранных войск', 'prisoners'];

interface SearchableDocument {
  readonly annotationPage: string;
  readonly search: string;
}

/** `origin`-relative path of an absolute id the service published. */
const pathOf = (id: string) => {
  const url = new URL(id);
  return `${url.pathname}${url.search}`;
};

const searchPath = (service: string, q: string) => `${service}?${new URLSearchParams({ q })}`;

export async function measure(options: MeasureOptions): Promise<Measured> {
  const pool = new Pool(options.origin, {
    // Each phase keeps its own number of requests in flight (eachLimited).
    connections: Math.max(options.concurrency, options.warmConcurrency),
    pipelining: 1,
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
  });
  const samples = { cold: emptySamples(), warm: emptySamples() };
  const failures = new Map<string, { count: number; example: string }>();

  /** One GET; records its latency under `phase`/`kind` and returns the body when it is a 200. */
  const get = async (phase: 'cold' | 'warm' | null, kind: Kind, path: string): Promise<Body | null> => {
    options.alive();
    const started = performance.now();
    let status: number | string;
    let body: Body | null = null;
    try {
      const res = await pool.request({ path, method: 'GET', headers: requestHeaders });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      status = res.statusCode;
      if (status === 200) body = { bytes, coding: res.headers['content-encoding'] };
    } catch (err) {
      options.alive();
      status = (err as { code?: string }).code ?? (err as Error).message;
    }
    if (phase) samples[phase][kind].push(performance.now() - started);
    if (body === null) fail(`${kind} ${status}`, path);
    return body;
  };
  /** `/healthz` asked `count` times, `concurrency` at a time. */
  const floorOf = async (count: number, concurrency: number): Promise<Latency> => {
    const floorSamples: number[] = [];
    await eachLimited(Array.from({ length: Math.max(1, count) }), concurrency, async () => {
      options.alive();
      const started = performance.now();
      const res = await pool.request({ path: '/healthz', method: 'GET' });
      await res.body.text();
      floorSamples.push(performance.now() - started);
    });
    return latencyOf(floorSamples);
  };
  const fail = (key: string, path: string) => {
    const f = failures.get(key) ?? { count: 0, example: path };
    f.count++;
    failures.set(key, f);
  };

  try {
    const rnd = random(options.seed);
    const base = options.origin;
    // Delo collections first, each once: nothing has asked for them yet.
    await eachLimited(options.delos, options.concurrency, (delo) => get('cold', 'collection', pathOf(collectionId(base, 3, delo))));

    // The walk: distinct random documents, cycled when there are fewer than the walk asks;
    // only a document's first visit counts as cold.
    const order = shuffled(options.documents, rnd);
    const visits = Array.from({ length: options.walk }, (_, i) => order[i % order.length]!);
    // Drawn now, not as answers arrive, so every run picks the same canvases.
    const canvasPicks = visits.map(() => rnd());
    const found = new Map<string, SearchableDocument>();
    await eachLimited(visits, options.concurrency, async (id, i) => {
      const phase = i < order.length ? 'cold' : null;
      const manifestPath = pathOf(documentIds(base, 3, id).manifest);
      const manifest = await get(phase, 'manifest', manifestPath);
      if (manifest === null) return;
      const links = linksOf(decoded(manifest), canvasPicks[i]!);
      if (!links) return fail('manifest without an annotation page or a SearchService2', manifestPath);
      await get(phase, 'annotationPage', links.annotationPage);
      await get(phase, 'search', searchPath(links.search, coldQuery));
      found.set(id, links);
    });
    const rssAfterWalk = options.rss();
    const walkRequests = kinds.reduce((n, k) => n + samples.cold[k].length, 0);
    const walkFloor = await floorOf(walkRequests, options.concurrency);

    // Warm: the first documents of the walk again, `rounds` times, a new query each round. An
    // untimed round first: at 10,000 documents the walk asked for them long ago, and a document
    // not asked for within DOCUMENT_RECHECK_MS has its folder and images looked at again by its
    // next request, which waits for the disk; at 100 the walk has just asked for them. The timed
    // rounds measure documents in use, at every N.
    const again = order.slice(0, Math.min(options.warm, order.length)).filter((id) => found.has(id));
    const collections = Array.from({ length: collectionsPerRound(options.delos.length, options.rounds) }, (_, i) => options.delos[i % options.delos.length]!);
    for (let round = -1; round < options.rounds; round++) {
      const phase = round < 0 ? null : 'warm';
      const query = warmQueries[(round + 1) % warmQueries.length]!;
      await eachLimited(again, options.warmConcurrency, async (id) => {
        const links = found.get(id)!;
        await get(phase, 'manifest', pathOf(documentIds(base, 3, id).manifest));
        await get(phase, 'annotationPage', links.annotationPage);
        await get(phase, 'search', searchPath(links.search, query));
      });
      await eachLimited(collections, options.warmConcurrency, (delo) => get(phase, 'collection', pathOf(collectionId(base, 3, delo))));
    }

    const warmRequests = kinds.reduce((n, k) => n + samples.warm[k].length, 0);
    const floor = await floorOf(warmRequests, options.warmConcurrency);

    const summary = (phase: 'cold' | 'warm') =>
      Object.fromEntries(kinds.map((k) => [k, latencyOf(samples[phase][k])])) as Record<Kind, Latency>;
    return {
      cold: summary('cold'),
      warm: summary('warm'),
      walked: visits.length,
      rssAfterWalk,
      floor,
      walkFloor,
      failures: [...failures].map(([key, f]) => `${f.count} × ${key}, e.g. ${f.example}`),
    };
  } finally {
    await pool.close();
  }
}

/** Warm delo collections asked a round: every delo, cycled to a hundred over the rounds, so that even one delo has a p99. */
export function collectionsPerRound(delos: number, rounds: number): number {
  return delos === 0 ? 0 : Math.max(delos, Math.ceil(100 / rounds));
}

/** What a browser's fetch sends (Chromium: "gzip, deflate, br, zstd"; the service offers no zstd). */
const requestHeaders = { accept: 'application/json, application/ld+json', 'accept-encoding': 'gzip, deflate, br' };

interface Body {
  readonly bytes: Buffer;
  readonly coding: string | string[] | undefined;
}

function decoded({ bytes, coding }: Body): string {
  if (coding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (coding === 'gzip') return gunzipSync(bytes).toString('utf8');
  if (coding === undefined || coding === 'identity') return bytes.toString('utf8');
  throw new Error(`unexpected Content-Encoding ${String(coding)}`);
}

function emptySamples(): Record<Kind, number[]> {
  return { manifest: [], annotationPage: [], collection: [], search: [] };
}

function latencyOf(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** A random canvas's first annotation page and the Search 2 service, as a client finds them in the manifest. */
function linksOf(manifestJson: string, pick: number): SearchableDocument | null {
  const manifest = JSON.parse(manifestJson) as {
    items?: { annotations?: { id: string }[] }[];
    service?: { id?: string; type?: string }[];
  };
  const canvases = (manifest.items ?? []).filter((c) => c.annotations?.length);
  const canvas = canvases[Math.floor(pick * canvases.length)];
  const search = manifest.service?.find((s) => s.type === 'SearchService2')?.id;
  if (!canvas || !search) return null;
  return { annotationPage: pathOf(canvas.annotations![0]!.id), search: pathOf(search) };
}

function shuffled<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
