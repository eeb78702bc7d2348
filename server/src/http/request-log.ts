import type { RequestHandler } from 'express';
import type { Logger, SerializedRequest, SerializedResponse } from 'pino';
import { pinoHttp } from 'pino-http';
import { probePaths } from './health.js';
import { requestId } from './request-id.js';

/**
 * One JSON line per request with its id (also in the `X-Request-Id` response header, so a
 * reader's bug report leads to the line). Server errors log at `error`, client errors at
 * `info`: a crawler's bad URLs are not our incidents. Headers are not logged
 * (cookies, credentials), only the user agent and referer.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    genReqId: requestId,
    autoLogging: { ignore: (req) => probePaths.has(req.url ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    // Short lines: what a request was and how it ended, not every header.
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        userAgent: req.headers['user-agent'],
        referer: req.headers.referer,
      }),
      res: (res: SerializedResponse) => ({ statusCode: res.statusCode }),
    },
  });
}
