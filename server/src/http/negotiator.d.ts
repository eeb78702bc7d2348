// negotiator 1.x, as far as this service uses it. @types/negotiator describes 0.6, which has no
// `preferred` option: without it, a tie in Accept-Encoding goes to the client's order
// ("gzip, deflate, br" from every browser) instead of the better coding.
declare module 'negotiator' {
  import type { IncomingHttpHeaders } from 'node:http';

  export default class Negotiator {
    constructor(request: { headers: IncomingHttpHeaders });
    /** The best of `available` by the client's q-values; ties go to the earliest of `preferred`. */
    encoding(available: readonly string[], options?: { preferred?: readonly string[] }): string | undefined;
  }
}
