import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openCatalog } from './catalog/open-catalog.js';
import { DocumentDataError } from './document/document-error.js';
import { failFast } from './fail-fast.js';
import { Readiness } from './http/health.js';
import { createHttpServer, messageClassesFor, serverTimeouts } from './http/server.js';
import { gracefulShutdown } from './http/shutdown.js';
import { createImageBackend } from './image/backend.js';

const help = `Usage: npm start [-- --help]

Serves the IIIF Image API (3.0 and 2.1), the Presentation API manifests and the viewer
for every document in MANIFESTS_DIR (RGASPI f. 558, op. 11, d. 340, ll. 43-45 as committed).
It starts from the document catalog that \`npm run check\` writes into CACHE_DIR (or builds it
from the record.json files) and loads each document on its first request. Configuration is
read from the environment; README.md lists every variable and its default.
`;

const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: false });
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}

const config = await failFast(() => loadConfig(process.env), ConfigError);

const logger = pino({ level: config.logLevel });
// Only the compact catalog is read before listening: each document is loaded, checked and
// built on its first request (`npm run check` checks them all ahead of time). An unreadable
// MANIFESTS_DIR stops start-up with a message naming it.
const documents = await failFast(() => openCatalog(config, logger), DocumentDataError);
const readiness = new Readiness();
const images = createImageBackend(config, logger);
const app = createApp({ config, logger, readiness, documents, images });
const server = createHttpServer(app, serverTimeouts(config), messageClassesFor(app)).listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ host: config.host, port }, `listening on http://${config.host}:${port}/`);
});
server.on('error', (err) => {
  logger.fatal({ err }, 'cannot listen');
  process.exit(1);
});
const shutdown = gracefulShutdown(server, { readiness, logger, cleanup: () => images.close() });
// Derivatives are built in the background: until one is ready its image is rendered on demand.
if (config.ingestOnStart) {
  images.ingestAll().then(
    (summary) => logger.info(summary, 'image ingest finished'),
    (err: unknown) => logger.error({ err }, 'image ingest stopped'),
  );
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
