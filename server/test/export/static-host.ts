import sirv from 'sirv';
import { listen, type Listening } from '../http/listen.js';

/**
 * A folder served as a static host serves an edition, with no code of ours answering: sirv, a
 * plain static file server. A path that is not a file is answered by the same path + `.json`
 * or `.html`, and, as GitHub Pages and most CDNs do, every response says
 * `Access-Control-Allow-Origin: *`, so clients on other origins can read it. Each request is
 * looked up on disk, since an edition is written after the host has started (its URL is the
 * edition's base).
 */
export function staticHost(root: string): Promise<Listening> {
  return listen(
    sirv(root, {
      dev: true,
      extensions: ['json', 'html'],
      setHeaders: (res) => res.setHeader('Access-Control-Allow-Origin', '*'),
    }),
  );
}
