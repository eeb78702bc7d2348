import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivalDocument } from '../../src/document/model.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { securityHeaders } from '../../src/http/security.js';
import { searchRouter } from '../../src/search/router.js';
import { request } from '../helpers/http.js';
import { listen, type Listening } from '../http/listen.js';
import { fixtureDocument } from './fixture-document.js';
import {
  schemaProblems,
  type Autocomplete1,
  type Autocomplete2,
  type Search1,
  type Search2,
} from './response-schemas.js';

let document: ArchivalDocument = fixtureDocument();
let server: Listening;

beforeAll(async () => {
  const app = express();
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(
    searchRouter({
      config: { publicBaseUrl: null, trustProxy: false },
      documents: (id) => (id === document.id ? document : undefined),
      pageSize: 1,
    }),
  );
  app.use(notFound);
  app.use(errorHandler);
  server = await listen(app);
});
afterAll(() => server.close());

/** GETs a path; `json` is typed as the response the test expects (the schemas check it). */
async function get<T = Search2>(path: string) {
  const res = await fetch(`${server.url}${path}`);
  const text = await res.text();
  const json = (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as T;
  return { res, text, json };
}

/** The status of a conditional GET. */
async function conditionalStatus(path: string, etag: string): Promise<number> {
  return (await request(server.url, path, { headers: { 'If-None-Match': etag } })).status;
}

const v2 = '/iiif/search/2/fixture-doc';
const v1 = '/iiif/search/1/fixture-doc';
const q = (s: string) => encodeURIComponent(s);

describe('Content Search 2.0', () => {
  it('answers an AnnotationPage of word-box annotations with contextualizing snippets', async () => {
    const { res, json } = await get(`${v2}?q=${q('Филиппов')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(
      /^application\/ld\+json; ?profile="http:\/\/iiif\.io\/api\/search\/2\/context\.json"/,
    );
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(schemaProblems('search2', json)).toEqual([]);
    expect(json.id).toBe(`${server.url}${v2}?q=${q('Филиппов')}`);
    const canvas = `${server.url}/iiif/presentation/3/fixture-doc/canvas/l43`;
    expect(json.items).toEqual([
      {
        id: `${server.url}${v2}/annotation/l43/ru/8-16`,
        type: 'Annotation',
        motivation: 'supplementing',
        body: { type: 'TextualBody', value: 'Филиппов', format: 'text/plain', language: 'ru' },
        target: `${canvas}#xywh=260,100,180,50`,
      },
    ]);
    expect(json.annotations?.[0]?.items).toEqual([
      {
        id: `${server.url}${v2}/annotation/l43/ru/8-16/context`,
        type: 'Annotation',
        motivation: 'contextualizing',
        target: {
          type: 'SpecificResource',
          source: json.items[0].id,
          selector: [
            {
              type: 'TextQuoteSelector',
              prefix: 'Товарищ ',
              exact: 'Филиппов',
              suffix: '! Что касается переговоров о прекращении военных действий в',
            },
          ],
        },
      },
    ]);
  });

  it('targets the paragraph region for English hits', async () => {
    const { json } = await get(`${v2}?q=Kaesong`);
    expect(schemaProblems('search2', json)).toEqual([]);
    expect(json.items.map((a) => [a.body.value, a.body.language, a.target])).toEqual([
      ['Kaesong', 'en', `${server.url}/iiif/presentation/3/fixture-doc/canvas/l43#xywh=100,280,1120,50`],
    ]);
    expect(json.annotations?.[0]?.items[0].target.selector[0]).toEqual({
      type: 'TextQuoteSelector',
      prefix: 'No correspondents can be allowed south of ',
      exact: 'Kaesong',
      suffix: '.',
    });
  });

  it('pages long results with partOf, next, prev and startIndex', async () => {
    const first = await get(`${v2}?q=peregovory`);
    expect(schemaProblems('search2', first.json)).toEqual([]);
    const base = `${server.url}${v2}?q=peregovory`;
    expect(first.json.id).toBe(`${base}&page=1`);
    expect(first.json.partOf).toEqual({
      id: base,
      type: 'AnnotationCollection',
      // Three annotations: one word box on l43, two halves of a broken word on l44.
      total: 3,
      first: { id: `${base}&page=1`, type: 'AnnotationPage' },
      last: { id: `${base}&page=2`, type: 'AnnotationPage' },
    });
    expect(first.json.next).toEqual({ id: `${base}&page=2`, type: 'AnnotationPage' });
    expect(first.json.prev).toBeUndefined();
    expect(first.json.startIndex).toBe(0);

    const next = new URL(first.json.next!.id);
    const second = await get(next.pathname + next.search);
    expect(schemaProblems('search2', second.json)).toEqual([]);
    expect(second.json.prev).toEqual({ id: `${base}&page=1`, type: 'AnnotationPage' });
    expect(second.json.next).toBeUndefined();
    expect(second.json.startIndex).toBe(1);
    expect(second.json.items).toHaveLength(2);
    expect(second.json.annotations?.[0]?.items.map((a) => a.target.source)).toEqual(
      second.json.items.map((a) => a.id),
    );

    expect((await get(`${v2}?q=peregovory&page=3`)).res.status).toBe(404);
    expect((await get(`${v2}?q=peregovory&page=0`)).res.status).toBe(400);
    expect((await get(`${v2}?q=peregovory&page=x`)).res.status).toBe(400);
  });

  it('lists the parameters it does not implement in ignored, and drops them from ids', async () => {
    const { json } = await get(`${v2}?q=Kaesong&date=2026-01-01T00:00:00Z/2026-12-31T00:00:00Z&user=${q('https://example.org/u')}`);
    expect(schemaProblems('search2', json)).toEqual([]);
    expect(json.ignored).toEqual(['date', 'user']);
    expect(json.id).toBe(`${server.url}${v2}?q=Kaesong`);
    expect(json.items).toHaveLength(1);
    const plain = await get(`${v2}?q=Kaesong&date=`);
    expect(plain.json.ignored).toBeUndefined();
    // Parameters no Content Search version defines are not read at all (not even twice).
    const other = await get(`${v2}?q=Kaesong&_=1&_=2`);
    expect(other.json.ignored).toBeUndefined();
    expect(other.json.items).toHaveLength(1);
  });

  it('filters by motivation: our annotations are supplementing', async () => {
    const some = await get(`${v2}?q=Kaesong&motivation=${q('commenting supplementing')}`);
    expect(some.json.items).toHaveLength(1);
    expect(some.json.id).toBe(`${server.url}${v2}?q=Kaesong&motivation=commenting+supplementing`);
    const none = await get(`${v2}?q=Kaesong&motivation=painting`);
    expect(schemaProblems('search2', none.json)).toEqual([]);
    expect(none.json.items).toEqual([]);
  });

  it('completes terms of both layers with their counts', async () => {
    const { res, json } = await get<Autocomplete2>(`${v2}/autocomplete?q=${q('пере')}`);
    expect(res.status).toBe(200);
    expect(schemaProblems('autocomplete2', json)).toEqual([]);
    expect(json).toEqual({
      '@context': 'http://iiif.io/api/search/2/context.json',
      id: `${server.url}${v2}/autocomplete?q=${q('пере')}`,
      type: 'TermPage',
      items: [
        { value: 'переговоров', total: 1, language: 'ru' },
        { value: 'переговоры', total: 1, language: 'ru' },
      ],
    });
    const quoted = await get<Autocomplete2>(`${v2}/autocomplete?q=${q('«Пере')}`);
    expect(quoted.json.items.map((t) => t.value)).toEqual(['переговоров', 'переговоры']);
    const latin = await get<Autocomplete2>(`${v2}/autocomplete?q=neg`);
    expect(latin.json.items).toEqual([{ value: 'negotiations', total: 2, language: 'en' }]);
    const both = await get<Autocomplete2>(`${v2}/autocomplete?q=38`);
    expect(both.json.items).toEqual([
      { value: '38', total: 1, language: 'ru' },
      { value: '38th', total: 1, language: 'en' },
    ]);
    expect((await get<Autocomplete2>(`${v2}/autocomplete?q=neg&min=3`)).json.items).toEqual([]);
    expect((await get<Autocomplete2>(`${v2}/autocomplete`)).res.status).toBe(400);
  });
});

describe('Content Search 1.0', () => {
  it('answers an AnnotationList with resources, hits and within', async () => {
    const { res, json } = await get<Search1>(`${v1}?q=${q('"если переговоры сорвутся"')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/profile="http:\/\/iiif\.io\/api\/search\/1\/context\.json"/);
    expect(schemaProblems('search1', json)).toEqual([]);
    const canvas = `${server.url}/iiif/presentation/3/fixture-doc/canvas/l44`;
    // One hit over two lines: two annotations (§3.4.4).
    expect(json.resources.map((r) => [r.resource.chars, r.on])).toEqual([
      ['если пере-', `${canvas}#xywh=700,160,200,50`],
      ['говоры сорвутся', `${canvas}#xywh=100,220,320,50`],
    ]);
    expect(json.hits).toEqual([
      {
        '@type': 'search:Hit',
        annotations: json.resources.map((r) => r['@id']),
        match: 'если пере- говоры сорвутся',
        // Context runs across block boundaries, as the words follow each other on the page.
        before: 'по 38 параллели, а оставить в течение нескольких месяцев, ',
        after: ', с тем чтобы нанести',
      },
    ]);
    expect(json.within).toEqual({ '@type': 'sc:Layer', total: 1 });
    expect(json.startIndex).toBe(0);
  });

  it('pages with within.first/last, next and prev, counting hits', async () => {
    const base = `${server.url}${v1}?q=peregovory`;
    const { json } = await get<Search1>(`${v1}?q=peregovory`);
    expect(schemaProblems('search1', json)).toEqual([]);
    expect(json.within).toEqual({ '@type': 'sc:Layer', total: 2, first: `${base}&page=1`, last: `${base}&page=2` });
    expect(json.next).toBe(`${base}&page=2`);
    const second = await get<Search1>(`${v1}?q=peregovory&page=2`);
    expect(schemaProblems('search1', second.json)).toEqual([]);
    expect(second.json.prev).toBe(`${base}&page=1`);
    expect(second.json.startIndex).toBe(1);
    expect(second.json.next).toBeUndefined();
  });

  it('reports ignored parameters in within.ignored, and takes painting as our motivation', async () => {
    const { json } = await get<Search1>(`${v1}?q=Kaesong&user=someone&motivation=painting`);
    expect(schemaProblems('search1', json)).toEqual([]);
    expect(json.within?.ignored).toEqual(['user']);
    expect(json.resources).toHaveLength(1);
    expect((await get<Search1>(`${v1}?q=Kaesong&motivation=commenting`)).json.resources).toEqual([]);
  });

  it('targets the 2.1 canvases from the service declared in the 2.1 manifest', async () => {
    const { json } = await get<Search1>(`${v1}/presentation-2?q=Kaesong`);
    expect(schemaProblems('search1', json)).toEqual([]);
    expect(json.resources[0].on).toBe(`${server.url}/iiif/presentation/2/fixture-doc/canvas/l43#xywh=100,280,1120,50`);
  });

  it('completes terms as a TermList with search urls', async () => {
    const { json } = await get<Autocomplete1>(`${v1}/autocomplete?q=kaes&motivation=painting`);
    expect(schemaProblems('autocomplete1', json)).toEqual([]);
    expect(json.terms).toEqual([
      { match: 'kaesong', url: `${server.url}${v1}?q=kaesong&motivation=painting`, count: 1 },
    ]);
    const ignored = await get<Autocomplete1>(`${v1}/autocomplete?q=kaes&date=2020-01-01T00:00:00Z/2021-01-01T00:00:00Z`);
    expect(schemaProblems('autocomplete1', ignored.json)).toEqual([]);
    expect(ignored.json.ignored).toEqual(['date']);
  });
});

describe('HTTP behaviour', () => {
  it('revalidates with an ETag keyed by data version and query', async () => {
    const first = await get(`${v2}?q=Kaesong`);
    const etag = first.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(await conditionalStatus(`${v2}?q=Kaesong`, etag)).toBe(304);
    const other = await get(`${v2}?q=Korea`);
    expect(other.res.headers.get('etag')).not.toBe(etag);
  });

  it('compresses when asked, with the coding in the ETag, and revalidates either tag', async () => {
    const path = `${v2}?q=${q('переговоры Kaesong')}`;
    const head = async (headers: Record<string, string>) => {
      const res = await request(server.url, path, { headers });
      return { status: res.status, etag: res.header('etag'), coding: res.header('content-encoding') };
    };
    const plain = await head({});
    const gzip = await head({ 'Accept-Encoding': 'gzip' });
    expect(plain.coding).toBe('');
    expect(gzip.coding).toBe('gzip');
    expect(gzip.etag).toBe(`${plain.etag.slice(0, -1)}-gzip"`);
    expect((await head({ 'Accept-Encoding': 'gzip', 'If-None-Match': gzip.etag })).status).toBe(304);
    expect((await head({ 'If-None-Match': gzip.etag })).status).toBe(304);
  });

  it('rebuilds the index when the document version changes', async () => {
    const before = await get(`${v2}?q=Kaesong`);
    const changed = fixtureDocument('fixture-2');
    const l43 = changed.leaves[0]!;
    document = {
      ...changed,
      leaves: [
        { ...l43, translation: { ...l43.translation!, paragraphs: l43.translation!.paragraphs.slice(0, 2) } },
        ...changed.leaves.slice(1),
      ],
    };
    try {
      expect(await conditionalStatus(`${v2}?q=Kaesong`, before.res.headers.get('etag')!)).toBe(200);
      const after = await get(`${v2}?q=Kaesong`);
      expect(after.json.items).toEqual([]);
    } finally {
      document = fixtureDocument();
    }
  });

  it('answers CORS preflight requests', async () => {
    const res = await fetch(`${server.url}${v2}?q=x`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('says 404 for a document it does not have', async () => {
    const { res } = await get('/iiif/search/2/no-such-doc?q=x');
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('absurd queries get an empty result or a 400, never a 500', () => {
  const empty = ['', q('!!! ,,, «» — ...'), q('"""'), q('   '), q('\u200b\u00ad'), q('ﷺ ☃ 🙂')];
  for (const value of empty) {
    it(`q=${value} → 200 and no hits`, async () => {
      const two = await get(`${v2}?q=${value}`);
      expect(two.res.status).toBe(200);
      expect(schemaProblems('search2', two.json)).toEqual([]);
      expect(two.json.items).toEqual([]);
      const one = await get<Search1>(`${v1}?q=${value}`);
      expect(one.res.status).toBe(200);
      expect(schemaProblems('search1', one.json)).toEqual([]);
      expect(one.json.resources).toEqual([]);
    });
  }

  it('answers a search without q with an empty page', async () => {
    const { res, json } = await get(v2);
    expect(res.status).toBe(200);
    expect(json.items).toEqual([]);
  });

  it('refuses more than 20 words in a search (autocomplete reads q as one string)', async () => {
    const words = q(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '));
    for (const path of [v2, v1]) expect((await get(`${path}?q=${words}`)).res.status).toBe(400);
    expect((await get<Autocomplete2>(`${v2}/autocomplete?q=${words}`)).json.items).toEqual([]);
  });

  it('refuses a URL too long for the HTTP parser without reaching the service', async () => {
    const { res } = await get(`${v2}?q=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
  });

  const bad: [string, string][] = [
    ['a very long q', `q=${'переговоры '.repeat(60)}`],
    ['a long query string', `q=a&x=${'a'.repeat(5_000)}`],
    ['a NUL byte', 'q=abc%00def'],
    ['an escape character', 'q=%1B%5B2J'],
    ['a bad percent escape', 'q=%ZZ'],
    ['a truncated escape', 'q=abc%E'],
    ['invalid UTF-8', 'q=%C3%28'],
    ['an overlong UTF-8 encoding', 'q=%C0%AF'],
    ['a lone surrogate in UTF-8', 'q=%ED%A0%80'],
    ['q given twice', 'q=a&q=b'],
    ['control characters in motivation', 'q=a&motivation=%07'],
  ];
  for (const [what, query] of bad) {
    it(`${what} → 400`, async () => {
      for (const path of [v2, v1, `${v2}/autocomplete`, `${v1}/autocomplete`]) {
        const { res, text } = await get(`${path}?${query}`);
        expect(res.status).toBe(400);
        expect(text.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('boxes on canvases whose image differs from the ALTO page', () => {
  it('scales hit boxes to the canvas, as the manifest annotations are', async () => {
    const base = fixtureDocument();
    const l43 = base.leaves[0]!;
    const scanned: ArchivalDocument = {
      ...base,
      leaves: [{ ...l43, transcription: { ...l43.transcription, page: { width: 2000, height: 1000 } } }, ...base.leaves.slice(1)],
    };
    const app = express();
    app.use(
      searchRouter({
        config: { publicBaseUrl: 'https://iiif.example.org', trustProxy: false },
        documents: () => scanned,
        canvasSize: async (image) => (image === 'fixture-l43' ? { width: 1000, height: 500 } : { width: 2000, height: 1000 }),
      }),
    );
    const scaled = await listen(app);
    try {
      const res = await fetch(`${scaled.url}${v2}?q=${q('Филиппов')}`);
      const json = (await res.json()) as Search2;
      // «Филиппов!» is at 260,100,180,50 on the 2000×1000 ALTO page: half that on a 1000×500 canvas.
      expect(json.items.map((a) => a.target)).toEqual([
        'https://iiif.example.org/iiif/presentation/3/fixture-doc/canvas/l43#xywh=130,50,90,25',
      ]);
    } finally {
      await scaled.close();
    }
  });
});

describe('the answer cache', () => {
  it('keys an answer by the request’s base URL and the canvas sizes, not only by the query', async () => {
    const base = fixtureDocument();
    const l43 = base.leaves[0]!;
    const scanned: ArchivalDocument = {
      ...base,
      leaves: [{ ...l43, transcription: { ...l43.transcription, page: { width: 2000, height: 1000 } } }, ...base.leaves.slice(1)],
    };
    let width = 1000;
    const app = express();
    app.use(
      searchRouter({
        config: { publicBaseUrl: null, trustProxy: false },
        documents: () => scanned,
        canvasSize: async () => ({ width, height: width / 2 }),
      }),
    );
    const cached = await listen(app);
    const path = `${v2}?q=${q('Филиппов')}`;
    const search = async (host: string) => {
      const res = await request(cached.url, path, { headers: { Host: host } });
      expect(res.status).toBe(200);
      return JSON.parse(res.body.toString('utf8')) as Search2;
    };
    try {
      const a = await search('a.example');
      expect(a.id).toBe(`http://a.example${path}`);
      expect(a.items.map((i) => i.target)).toEqual(['http://a.example/iiif/presentation/3/fixture-doc/canvas/l43#xywh=130,50,90,25']);
      // Same query, another host: ids on that host, not the cached answer's.
      expect((await search('b.example')).id).toBe(`http://b.example${path}`);
      // The page image was replaced by a larger one: boxes follow the new canvas size.
      width = 2000;
      expect((await search('b.example')).items.map((i) => i.target)).toEqual([
        'http://b.example/iiif/presentation/3/fixture-doc/canvas/l43#xywh=260,100,180,50',
      ]);
    } finally {
      await cached.close();
    }
  });
});

describe('any query at all', () => {
  it('gets a valid result or a 400, never a 500 (random text, escapes and raw bytes)', async () => {
    const pieces = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent),
      fc.constantFrom('переговоры', 'Kaesong', '"', '«', '%', '%E', '%C3%28', '%00', '+', '&', '=', '-', 'ё', '38th'),
      fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 8 }), fc.constantFrom(v2, v1, `${v2}/autocomplete`, `${v1}/autocomplete`), async (parts, path) => {
        const { res, json } = await get<Search2 & Search1 & Autocomplete2 & Autocomplete1>(`${path}?q=${parts.join('')}`);
        expect([200, 400]).toContain(res.status);
        if (res.status !== 200) return;
        const kind = path.endsWith('autocomplete')
          ? path === v2 + '/autocomplete' ? 'autocomplete2' : 'autocomplete1'
          : path === v2 ? 'search2' : 'search1';
        expect(schemaProblems(kind, json)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the memory a search router keeps', () => {
  it('answers the same bytes and ETag when its memory is too small to keep an answer or an index', async () => {
    const app = express().use(
      searchRouter({ config: { publicBaseUrl: null, trustProxy: false }, documents: (id) => (id === document.id ? document : undefined), cacheBytes: 1 }),
    );
    const small = await listen(app);
    try {
      const ask = async () => {
        const res = await fetch(`${small.url}${v2}?q=${q('Филиппов')}`);
        return { etag: res.headers.get('etag'), text: await res.text() };
      };
      const first = await ask();
      expect(JSON.parse(first.text).items.length).toBeGreaterThan(0);
      expect(await ask()).toEqual(first);
    } finally {
      await small.close();
    }
  });
});
