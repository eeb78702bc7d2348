import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { searchRouter } from '../../src/search/router.js';
import { searchManifestServices } from '../../src/search/services.js';
import { listen, type Listening } from '../http/listen.js';
import { fixtureDocument } from './fixture-document.js';
import { schemaProblems, type ResponseKind } from './response-schemas.js';

const doc = fixtureDocument();
let server: Listening;

beforeAll(async () => {
  const app = express();
  app.use(searchRouter({ config: { publicBaseUrl: null, trustProxy: false }, documents: () => doc }));
  app.use(notFound);
  app.use(errorHandler);
  server = await listen(app);
});
afterAll(() => server.close());

describe('searchManifestServices', () => {
  it('declares Search 2.0 and 1.0 on the 3.0 manifest, 1.0 on the 2.1 manifest', () => {
    const base = 'https://iiif.example.org';
    const services = searchManifestServices(doc, base);
    expect(services.v3).toEqual([
      {
        id: `${base}/iiif/search/2/fixture-doc`,
        type: 'SearchService2',
        service: [{ id: `${base}/iiif/search/2/fixture-doc/autocomplete`, type: 'AutoCompleteService2' }],
      },
      {
        '@id': `${base}/iiif/search/1/fixture-doc`,
        '@type': 'SearchService1',
        profile: 'http://iiif.io/api/search/1/search',
        service: [
          {
            '@id': `${base}/iiif/search/1/fixture-doc/autocomplete`,
            '@type': 'AutoCompleteService1',
            profile: 'http://iiif.io/api/search/1/autocomplete',
          },
        ],
      },
    ]);
    expect(services.v2).toEqual([
      {
        '@context': 'http://iiif.io/api/search/1/context.json',
        '@id': `${base}/iiif/search/1/fixture-doc/presentation-2`,
        profile: 'http://iiif.io/api/search/1/search',
        service: {
          '@id': `${base}/iiif/search/1/fixture-doc/presentation-2/autocomplete`,
          profile: 'http://iiif.io/api/search/1/autocomplete',
        },
      },
    ]);
  });

  it('declares services that answer, each in its version', async () => {
    const services = searchManifestServices(doc, server.url);
    const [v2, v1] = services.v3 as [Record<string, unknown>, Record<string, unknown>];
    const [v1in2] = services.v2 as [Record<string, unknown>];
    const nested = (s: Record<string, unknown>) => {
      const inner = s.service as Record<string, unknown> | Record<string, unknown>[];
      const first = Array.isArray(inner) ? inner[0]! : inner;
      return String(first.id ?? first['@id']);
    };
    const checks: [string, ResponseKind][] = [
      [String(v2.id), 'search2'],
      [nested(v2), 'autocomplete2'],
      [String(v1['@id']), 'search1'],
      [nested(v1), 'autocomplete1'],
      [String(v1in2['@id']), 'search1'],
      [nested(v1in2), 'autocomplete1'],
    ];
    for (const [url, kind] of checks) {
      const res = await fetch(`${url}?q=Kaesong`);
      expect(res.status, url).toBe(200);
      expect(schemaProblems(kind, await res.json()), url).toEqual([]);
    }
  });
});
