import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * JSON Schemas of our Content Search responses, written from the specs (Content Search 2.0
 * §4.2–4.3 and §5.2–5.3; 1.0 §3.3–3.4 and §4.3). Closed objects, so a misspelt or stray
 * property fails; the normative requirements are required properties and constants.
 */
const uri = { type: 'string', format: 'uri' } as const;
const target = { type: 'string', pattern: '^https?://[^#\\s]+(#xywh=\\d+,\\d+,\\d+,\\d+)?$' } as const;
const ignored = { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['date', 'user', 'uri'] } } as const;
const pageRef = {
  type: 'object',
  required: ['id', 'type'],
  properties: { id: uri, type: { const: 'AnnotationPage' } },
  additionalProperties: false,
} as const;

export const search2Schema = {
  type: 'object',
  required: ['@context', 'id', 'type', 'items'],
  properties: {
    '@context': { const: 'http://iiif.io/api/search/2/context.json' },
    id: uri,
    type: { const: 'AnnotationPage' },
    ignored,
    partOf: {
      type: 'object',
      required: ['id', 'type', 'first'],
      properties: {
        id: uri,
        type: { const: 'AnnotationCollection' },
        total: { type: 'integer', minimum: 0 },
        first: pageRef,
        last: pageRef,
      },
      additionalProperties: false,
    },
    next: pageRef,
    prev: pageRef,
    startIndex: { type: 'integer', minimum: 0 },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type', 'motivation', 'body', 'target'],
        properties: {
          id: uri,
          type: { const: 'Annotation' },
          motivation: { const: 'supplementing' },
          body: {
            type: 'object',
            required: ['type', 'value', 'format', 'language'],
            properties: {
              type: { const: 'TextualBody' },
              value: { type: 'string', minLength: 1 },
              format: { const: 'text/plain' },
              language: { enum: ['ru', 'en'] },
            },
            additionalProperties: false,
          },
          target,
        },
        additionalProperties: false,
      },
    },
    annotations: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['type', 'items'],
        properties: {
          type: { const: 'AnnotationPage' },
          items: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['id', 'type', 'motivation', 'target'],
              properties: {
                id: uri,
                type: { const: 'Annotation' },
                motivation: { const: 'contextualizing' },
                target: {
                  type: 'object',
                  required: ['type', 'source', 'selector'],
                  properties: {
                    type: { const: 'SpecificResource' },
                    source: uri,
                    selector: {
                      type: 'array',
                      minItems: 1,
                      items: {
                        type: 'object',
                        required: ['type', 'exact'],
                        properties: {
                          type: { const: 'TextQuoteSelector' },
                          prefix: { type: 'string', minLength: 1 },
                          exact: { type: 'string', minLength: 1 },
                          suffix: { type: 'string', minLength: 1 },
                        },
                        additionalProperties: false,
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    },
  },
  // §4.2.2: a page that links to others is part of a collection.
  dependencies: { next: ['partOf'], prev: ['partOf'], startIndex: ['partOf'] },
  additionalProperties: false,
} as const;

export const search1Schema = {
  type: 'object',
  required: ['@context', '@id', '@type', 'resources'],
  properties: {
    '@context': {
      const: ['http://iiif.io/api/presentation/2/context.json', 'http://iiif.io/api/search/1/context.json'],
    },
    '@id': uri,
    '@type': { const: 'sc:AnnotationList' },
    within: {
      type: 'object',
      required: ['@type'],
      properties: {
        '@type': { const: 'sc:Layer' },
        total: { type: 'integer', minimum: 0 },
        first: uri,
        last: uri,
        ignored,
      },
      additionalProperties: false,
    },
    next: uri,
    prev: uri,
    startIndex: { type: 'integer', minimum: 0 },
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['@id', '@type', 'motivation', 'resource', 'on'],
        properties: {
          '@id': uri,
          '@type': { const: 'oa:Annotation' },
          motivation: { const: 'sc:painting' },
          resource: {
            type: 'object',
            required: ['@type', 'chars'],
            properties: {
              '@type': { const: 'cnt:ContentAsText' },
              chars: { type: 'string', minLength: 1 },
              format: { const: 'text/plain' },
              language: { enum: ['ru', 'en'] },
            },
            additionalProperties: false,
          },
          on: target,
        },
        additionalProperties: false,
      },
    },
    hits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['@type', 'annotations', 'match', 'before', 'after'],
        properties: {
          '@type': { const: 'search:Hit' },
          annotations: { type: 'array', minItems: 1, items: uri },
          match: { type: 'string', minLength: 1 },
          before: { type: 'string' },
          after: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export const autocomplete2Schema = {
  type: 'object',
  required: ['@context', 'id', 'type', 'items'],
  properties: {
    '@context': { const: 'http://iiif.io/api/search/2/context.json' },
    id: uri,
    type: { const: 'TermPage' },
    ignored,
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['value'],
        properties: {
          value: { type: 'string', minLength: 1 },
          total: { type: 'integer', minimum: 1 },
          language: { enum: ['ru', 'en'] },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export const autocomplete1Schema = {
  type: 'object',
  required: ['@context', '@id', 'terms'],
  properties: {
    '@context': { const: 'http://iiif.io/api/search/1/context.json' },
    '@id': uri,
    '@type': { const: 'search:TermList' },
    ignored,
    terms: {
      type: 'array',
      items: {
        type: 'object',
        required: ['match', 'url'],
        properties: {
          match: { type: 'string', minLength: 1 },
          url: uri,
          count: { type: 'integer', minimum: 1 },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);

const compiled = {
  search2: ajv.compile(search2Schema),
  search1: ajv.compile(search1Schema),
  autocomplete2: ajv.compile(autocomplete2Schema),
  autocomplete1: ajv.compile(autocomplete1Schema),
} satisfies Record<string, ValidateFunction>;

export type ResponseKind = keyof typeof compiled;

/** The schema violations of a response, as readable strings (empty when valid). */
export function schemaProblems(kind: ResponseKind, json: unknown): string[] {
  const validate = compiled[kind];
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** The shapes the schemas above describe, for typed access in tests once validated. */
export interface PageRef {
  id: string;
  type: string;
}
export interface Annotation2 {
  id: string;
  type: string;
  motivation: string;
  body: { type: string; value: string; format: string; language: string };
  target: string;
}
export interface TextQuote {
  type: string;
  prefix?: string;
  exact: string;
  suffix?: string;
}
export interface Context2 {
  id: string;
  type: string;
  motivation: string;
  target: { type: string; source: string; selector: TextQuote[] };
}
export interface Search2 {
  '@context': string;
  id: string;
  type: string;
  ignored?: string[];
  partOf?: { id: string; type: string; total?: number; first: PageRef; last?: PageRef };
  next?: PageRef;
  prev?: PageRef;
  startIndex?: number;
  items: Annotation2[];
  annotations?: { type: string; items: Context2[] }[];
}
export interface Annotation1 {
  '@id': string;
  '@type': string;
  motivation: string;
  resource: { '@type': string; chars: string; format?: string; language?: string };
  on: string;
}
export interface Search1 {
  '@context': string[];
  '@id': string;
  '@type': string;
  within?: { '@type': string; total?: number; first?: string; last?: string; ignored?: string[] };
  next?: string;
  prev?: string;
  startIndex?: number;
  resources: Annotation1[];
  hits?: { '@type': string; annotations: string[]; match: string; before: string; after: string }[];
}
export interface Autocomplete2 {
  '@context': string;
  id: string;
  type: string;
  ignored?: string[];
  items: { value: string; total?: number; language?: string }[];
}
export interface Autocomplete1 {
  '@context': string;
  '@id': string;
  '@type'?: string;
  ignored?: string[];
  terms: { match: string; url: string; count?: number }[];
}
