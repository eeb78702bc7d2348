/** The URLs of the Change Discovery stream, from the public base URL (no trailing slash). */
export const changesRoot = (base: string) => `${base}/iiif/discovery/changes`;
export const changesPage = (base: string, n: number) => `${changesRoot(base)}/page/${n}`;

export const discoveryContext = 'http://iiif.io/api/discovery/1/context.json';
export const discoveryContentType = `application/ld+json;profile="${discoveryContext}"`;
