import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const requestIdHeader = 'X-Request-Id';

/**
 * A caller's id is kept when it is short and made of token characters (a proxy's or a load
 * balancer's id ties our log line to theirs); anything else could forge or break log lines,
 * so it is replaced.
 */
const saneId = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** Picks the request id and echoes it in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && saneId.test(given) ? given : randomUUID();
  res.setHeader(requestIdHeader, id);
  return id;
}
