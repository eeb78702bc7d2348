/**
 * Errors that carry their HTTP status. Every client-caused failure is one of these, so the
 * single error handler never has to guess; anything else is our bug and becomes a 500.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers, e.g. Retry-After on a 503. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
  override name = 'HttpError';
}

/** 400: malformed or impossible parameters (Image API 3.0 §7.3). */
export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
  override name = 'BadRequestError';
}

/** 404: unknown identifier or resource. */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
  override name = 'NotFoundError';
}

/** 406: no representation matches the request's Accept header. */
export class NotAcceptableError extends HttpError {
  constructor(message: string) {
    super(406, message);
  }
  override name = 'NotAcceptableError';
}

/** 501: a syntactically valid request for a feature we do not offer. */
export class NotImplementedError extends HttpError {
  constructor(message: string) {
    super(501, message);
  }
  override name = 'NotImplementedError';
}

/**
 * 500 for one document whose data files are wrong (a DocumentDataError): the message names the
 * file, the field and the problem, for whoever publishes it; the other documents keep serving.
 * The problem is logged once where it is found, not on every request that meets it.
 */
export class DocumentUnavailableError extends HttpError {
  readonly alreadyLogged = true;
  constructor(message: string) {
    super(500, message);
  }
  override name = 'DocumentUnavailableError';
}

/** 503: overloaded or not ready; the client may retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends HttpError {
  constructor(message: string, retryAfterSeconds = 1) {
    super(503, message, { 'Retry-After': String(retryAfterSeconds) });
  }
  override name = 'ServiceUnavailableError';
}
