import { Ajv2020, type AnySchema } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** What a schema finds wrong with a value, one line per error; empty when it is valid. */
export type Problems<Name extends string> = (name: Name, value: unknown) => string[];

/**
 * Compiles our hand-written JSON Schemas (2020-12) once, strictly: an unknown keyword is an error,
 * so a typo in a schema cannot silently accept anything, and a schema error stops the process at
 * start-up. `refs` names the (sub)schema each kind of document must satisfy.
 */
export function compileSchemas<Name extends string>(schemas: readonly AnySchema[], refs: Readonly<Record<Name, string>>): Problems<Name> {
  const ajv = new Ajv2020({
    allErrors: true,
    strictSchema: true,
    strictNumbers: true,
    strictTuples: true,
    strictRequired: false,
    strictTypes: false,
  });
  addFormats.default(ajv);
  for (const schema of schemas) ajv.addSchema(schema);
  const validators = new Map(
    (Object.keys(refs) as Name[]).map((name) => {
      const validate = ajv.getSchema(refs[name]);
      if (!validate) throw new Error(`schema ${name} (${refs[name]}) not found`);
      return [name, validate] as const;
    }),
  );
  return (name, value) => {
    const validate = validators.get(name)!;
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  };
}
