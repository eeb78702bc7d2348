import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/error-handler.js';
import { rejectMalformedPath } from '../../src/http/request-guard.js';
import { listen } from './listen.js';

describe('rejectMalformedPath', () => {
  it.each(['/viewer/assets/%c0%af', '/iiif/3/%E0%A4%A/info.json', '/%', '/a%zz'])(
    'answers %s with one plain 400 before any route sees it',
    async (path) => {
      const seen: string[] = [];
      const app = express();
      app.use(rejectMalformedPath);
      app.use((req, res) => {
        seen.push(req.path);
        res.status(418).send('a route answered');
      });
      app.use(errorHandler);
      const local = await listen(app);
      try {
        const res = await fetch(`${local.url}${path}`);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await res.text()).toBe('Malformed percent-encoding in the path\n');
        expect(seen).toEqual([]);
      } finally {
        await local.close();
      }
    },
  );

  it('lets every well-formed escape through, encoded slashes and NUL included', async () => {
    const app = express();
    app.use(rejectMalformedPath);
    app.use((_req, res) => {
      res.send('ok');
    });
    const local = await listen(app);
    try {
      for (const path of ['/iiif/3/a%2Fb/info.json', '/x%00y', '/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0']) {
        expect((await fetch(`${local.url}${path}`)).status, path).toBe(200);
      }
    } finally {
      await local.close();
    }
  });
});
