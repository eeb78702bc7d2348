/**
 * Baseline for `npm run bench:search`: a bare Express server that answers one JSON body, read
 * from a file, with the same content type as our search responses — the cost of serving the
 * same bytes with no search at all. Usage: tsx bench-search-baseline.ts <body.json> <port>
 */
import { readFileSync } from 'node:fs';
import express from 'express';

const [file, port] = process.argv.slice(2);
if (!file || !port) {
  process.stderr.write('usage: bench-search-baseline.ts <body.json> <port>\n');
  process.exit(2);
}
// Like the service: bytes encoded once, and no ETag hashed per request (the service's tag is
// computed once per answer), so the baseline costs only what any Express answer costs.
const body = readFileSync(file);
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/json', (_req, res) => {
  res.set('Content-Type', 'application/ld+json;profile="http://iiif.io/api/search/2/context.json"').send(body);
});
app.get('/healthz', (_req, res) => {
  res.type('text/plain').send('ok\n');
});
app.listen(Number(port), '127.0.0.1');
