import { STATUS_CODES } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { projectRoot } from '../config.js';
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

/** Bodies echo the offending value; a cap keeps a 16 KB URL from coming back whole. */
const maxMessageLength = 500;

/** Folders whose paths must never reach a client, even inside a client-error message. */
const privateRoots = [projectRoot, tmpdir(), process.cwd()]
  .filter((p) => p.length > 1)
  .map((p) => (p.endsWith(path.sep) ? p : `${p}${path.sep}`));

function clientMessage(err: unknown, status: number): string {
  const fallback = STATUS_CODES[status] ?? 'Error';
  if (!(err instanceof HttpError)) return fallback;
  const message = err.message.trim();
  if (message === '' || privateRoots.some((root) => message.includes(root))) return fallback;
  return message.length > maxMessageLength ? `${message.slice(0, maxMessageLength)}…` : message;
}

/** Validators and caching set by the route before it failed belong to the success response. */
function resetRepresentationHeaders(res: Response): void {
  for (const name of ['ETag', 'Last-Modified', 'Content-Disposition', 'Content-Encoding']) res.removeHeader(name);
  res.set('Cache-Control', 'no-store');
}

/** Any route nobody answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No resource at ${req.path}`));
};

/**
 * The one place where errors become responses: a short plain-text body naming the problem.
 * Client errors keep their message (capped, and never one that names a local folder);
 * anything else is logged and answered without details, so no stack trace or file path ever
 * reaches a client.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const status = statusOf(err);
  if (res.headersSent) {
    req.log?.error({ err }, 'error after headers were sent');
    res.destroy();
    return;
  }
  resetRepresentationHeaders(res);
  if (status === undefined) {
    req.log?.error({ err }, 'unhandled error');
    res.status(500).type('text/plain').send('Internal server error\n');
    return;
  }
  if (err instanceof HttpError) res.set(err.headers);
  const message = clientMessage(err, status);
  if (status >= 500 && !(err as { alreadyLogged?: boolean }).alreadyLogged) req.log?.warn({ err }, message);
  res.status(status).type('text/plain').send(`${message}\n`);
};
