import { compileSchemas } from '../json-schema.js';
import annotationCollection3 from './schema/annotation-collection3.json' with { type: 'json' };
import annotationPage3 from './schema/annotation-page3.json' with { type: 'json' };
import collection3 from './schema/collection3.json' with { type: 'json' };
import common from './schema/common.json' with { type: 'json' };
import manifest2 from './schema/manifest2.json' with { type: 'json' };
import manifest3 from './schema/manifest3.json' with { type: 'json' };
import resource2 from './schema/resource2.json' with { type: 'json' };

/** Our hand-written schemas, one per kind of resource we serve. */
const schemaRefs = {
  manifest3: 'manifest3.json',
  canvas3: 'common.json#/$defs/canvas',
  paintingPage3: 'common.json#/$defs/paintingPage',
  paintingAnnotation3: 'common.json#/$defs/paintingAnnotation',
  annotationPage3: 'annotation-page3.json',
  annotation3: 'common.json#/$defs/textAnnotation',
  annotationCollection3: 'annotation-collection3.json',
  range3: 'common.json#/$defs/range',
  collection3: 'collection3.json',
  manifest2: 'manifest2.json',
  resource2: 'resource2.json',
} as const;

export type SchemaName = keyof typeof schemaRefs;

// Compiled once, at module load: a schema error is a bug and stops the process here.
const check = compileSchemas([common, manifest3, annotationPage3, annotationCollection3, collection3, manifest2, resource2], schemaRefs);

/** Thrown when we are about to publish something our own schema rejects: always our bug. */
export class InvalidResourceError extends Error {
  override name = 'InvalidResourceError';
}

/** Problems found in a resource, empty when it is valid. */
export function problems(name: SchemaName, resource: unknown): string[] {
  return check(name, resource);
}

export function assertValid(name: SchemaName, resource: unknown, where: string): void {
  const found = problems(name, resource);
  if (found.length > 0) throw new InvalidResourceError(`${where} does not match ${name}: ${found.slice(0, 5).join('; ')}`);
}
