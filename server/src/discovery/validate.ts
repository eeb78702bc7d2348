import { compileSchemas } from '../json-schema.js';
import schema from './schema/change-discovery1.json' with { type: 'json' };

/** Our hand-written schema of what the Change Discovery API 1.0 allows, one definition per kind of document. */
const kinds = {
  collection: 'change-discovery1.json#/$defs/orderedCollection',
  page: 'change-discovery1.json#/$defs/orderedCollectionPage',
} as const;

export type DiscoveryKind = keyof typeof kinds;

// Compiled at module load: a schema error is a bug and stops the process here.
const problems = compileSchemas([schema], kinds);

/** What the schema finds wrong with `value`, empty when it is valid. */
export function discoveryProblems(kind: DiscoveryKind, value: unknown): string[] {
  return problems(kind, value);
}
