import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from './schema/change-discovery1.json' with { type: 'json' };

/** Our hand-written schema of what the Change Discovery API 1.0 allows, one definition per kind of document. */
const kinds = {
  collection: 'change-discovery1.json#/$defs/orderedCollection',
  page: 'change-discovery1.json#/$defs/orderedCollectionPage',
} as const;

export type DiscoveryKind = keyof typeof kinds;

// Compiled at module load: a schema error is a bug and stops the process here.
const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictNumbers: true, strictTuples: true, strictRequired: false, strictTypes: false });
addFormats.default(ajv);
ajv.addSchema(schema);
const validators = new Map<DiscoveryKind, ValidateFunction>(
  (Object.keys(kinds) as DiscoveryKind[]).map((kind) => {
    const validate = ajv.getSchema(kinds[kind]);
    if (!validate) throw new Error(`schema ${kind} not found`);
    return [kind, validate];
  }),
);

/** What the schema finds wrong with `value`, empty when it is valid. */
export function discoveryProblems(kind: DiscoveryKind, value: unknown): string[] {
  const validate = validators.get(kind)!;
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
