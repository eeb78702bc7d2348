import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, NotFoundError } from '../errors.js';

/** Status of errors raised by Express's own middleware (body parsers, bad URI encoding). */
function statusOf(err: unknown): number | undefined {
  if (err instanceof HttpError) return err.status;
  if (typeof err === 'object' && err !== null) {
    const s = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof s === 'number' && s >= 400 && s < 500) return s;
  }
  return undefined;
}

/** Any route nobody answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No resource at ${req.path}`));
};

/**
 * The one place where errors become responses: a short plain-text body naming the problem.
 * Client errors keep their message; anything else is logged and answered without details,
 * so no stack trace or file path ever reaches a client.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const status = statusOf(err);
  if (res.headersSent) {
    req.log?.error({ err }, 'error after headers were sent');
    res.destroy();
    return;
  }
  if (status === undefined) {
    req.log?.error({ err }, 'unhandled error');
    res.status(500).type('text/plain').send('Internal server error\n');
    return;
  }
  if (err instanceof HttpError) res.set(err.headers);
  const message = err instanceof HttpError ? err.message : 'Bad request';
  res.status(status).type('text/plain').send(`${message}\n`);
};
