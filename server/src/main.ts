import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DocumentDataError } from './document/document-error.js';
import { loadDocuments } from './document/load-document.js';
import { failFast } from './fail-fast.js';
import { Readiness } from './http/health.js';
import { createHttpServer, serverTimeouts } from './http/server.js';
import { gracefulShutdown } from './http/shutdown.js';
import { createImageBackend } from './image/backend.js';
import { verifyPresentation } from './presentation/router.js';
import { searchManifestServices } from './search/services.js';

const help = `Usage: npm start [-- --help]

Serves the IIIF Image API (3.0 and 2.1), the Presentation API manifests and the viewer
for RGASPI f. 558, op. 11, d. 340, ll. 43-45. Configuration is read from the environment;
README.md lists every variable and its default.
`;

const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: false });
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}

const config = await failFast(() => loadConfig(process.env), ConfigError);

const logger = pino({ level: config.logLevel });
// A bad record, ALTO or translation stops start-up with a message naming the file and field.
const documents = await failFast(() => loadDocuments(config.manifestsDir), DocumentDataError);
const readiness = new Readiness();
const images = createImageBackend(config, logger);
// Every Presentation resource is built and checked against our schemas before we listen.
try {
  const base = config.publicBaseUrl ?? `http://${config.host}:${config.port}`;
  logger.info({ resources: await verifyPresentation({ config, documents, images, services: searchManifestServices }, base) }, 'presentation resources valid');
} catch (err) {
  logger.fatal({ err }, 'cannot publish the documents');
  process.exit(1);
}
const app = createApp({ config, logger, readiness, documents, images });
const server = createHttpServer(app, serverTimeouts(config)).listen(config.port, config.host, () => {
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
