import type { RequestHandler } from 'express';
import { BadRequestError } from '../errors.js';

/**
 * A path that cannot be percent-decoded (a stray `%`, overlong or invalid UTF-8) names
 * nothing we publish: answered here with one plain 400, before any route (or static-file
 * library, each with its own answer) has to decide.
 */
export const rejectMalformedPath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    next(new BadRequestError('Malformed percent-encoding in the path'));
    return;
  }
  next();
};
