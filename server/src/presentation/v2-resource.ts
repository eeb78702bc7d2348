/** Presentation 2.1 resources are JSON-LD with `@id`/`@type`; each is served with this context. */
export const presentation2Context = 'http://iiif.io/api/presentation/2/context.json';

export type V2Resource = { '@id': string; '@type': string } & Record<string, unknown>;
