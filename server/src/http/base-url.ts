import type { Request } from 'express';
import type { Config } from '../config.js';

const safeHost = /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const safePrefix = /^(\/[A-Za-z0-9\-._~]+)+\/?$/;

/**
 * The public base URL that every published id starts with (no trailing slash).
 * PUBLIC_BASE_URL wins (set it behind a CDN: ids must not depend on what a client sends);
 * otherwise the request's scheme and host. Express honours X-Forwarded-Proto/Host only
 * when `trust proxy` is set from TRUST_PROXY; then X-Forwarded-Prefix is honoured too.
 */
export function baseUrl(req: Request, config: Pick<Config, 'publicBaseUrl' | 'trustProxy'>): string {
  if (config.publicBaseUrl) return config.publicBaseUrl;
  const host = safeHost.test(req.host) ? req.host : 'localhost';
  const prefix = config.trustProxy ? req.get('X-Forwarded-Prefix') : undefined;
  const path = prefix && safePrefix.test(prefix) ? prefix.replace(/\/$/, '') : '';
  return `${req.protocol}://${host}${path}`;
}
