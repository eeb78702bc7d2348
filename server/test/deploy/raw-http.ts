import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  /** Sent as given, Host included (fetch would not let a test forge it). */
  headers?: Record<string, string>;
  /** The client address to send from, e.g. another loopback address than 127.0.0.1. */
  localAddress?: string;
  timeoutMs?: number;
}

/** One request on a fresh connection; rejects on a network error or after the timeout. */
export function rawRequest(url: string, o: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: o.method ?? 'GET', headers: o.headers, localAddress: o.localAddress, agent: false, timeout: o.timeoutMs ?? 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** The transaction ids in X-Varnish: one for a response fetched now, two for a cache hit. */
export function varnishIds(res: RawResponse): string[] {
  return String(res.headers['x-varnish'] ?? '').split(/\s+/).filter(Boolean);
}
