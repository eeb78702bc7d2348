import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

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

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const logger = pino({ level: config.logLevel });
const app = createApp({ config, logger });
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ host: config.host, port }, `listening on http://${config.host}:${port}/`);
});
server.on('error', (err) => {
  logger.fatal({ err }, 'cannot listen');
  process.exit(1);
});
