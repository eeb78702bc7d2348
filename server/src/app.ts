import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import { errorHandler, notFound } from './http/error-handler.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
}

/** Builds the Express application; never listens (main.ts and the tests do). */
export function createApp({ config, logger }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false); // each route sets its own content-keyed ETag
  app.use(pinoHttp({ logger, quietReqLogger: true }));

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
