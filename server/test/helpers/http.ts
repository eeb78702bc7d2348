import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The bytes as sent (not decoded, whatever the Content-Encoding). */
  readonly body: Buffer;
  /** A single header's value ('' when absent). */
  header(name: string): string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A keep-alive agent to reuse connections; by default a fresh connection per request. */
  agent?: Agent;
  /** Rejects when no whole answer came within this time: a hang is a failure. */
  timeoutMs?: number;
}

/**
 * One HTTP request with the path sent exactly as written (no normalisation of `..` or
 * percent-encoding, unlike fetch), any header, Host included, and the body left undecoded.
 */
export function request(baseUrl: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const { method = 'GET', headers, agent = false, timeoutMs } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = res.headers;
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body: Buffer.concat(chunks),
          header: (name) => {
            const v = headers[name.toLowerCase()];
            return Array.isArray(v) ? v.join(', ') : (v ?? '');
          },
        });
      });
      res.on('error', reject);
    });
    if (timeoutMs !== undefined) {
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${method} ${path}`)));
    }
    req.on('error', reject);
    req.end();
  });
}
