import { isDeepStrictEqual } from 'node:util';

/**
 * One id names one resource (JSON-LD, Presentation 3.0 §3.4): wherever an id appears, embedded in
 * full or as a reference, it carries the same type and no property that contradicts another
 * appearance. Clients built on a normalising store (`@iiif/parser`'s vault: Clover, Canvas Panel)
 * merge every appearance of an id into one entity and give up on the first contradiction.
 * A reference may omit properties; it may never disagree.
 */

/** 2.1 types as a 2→3 upgrade names them, so an id shared by both versions is compared fairly. */
const upgradedTypes: Readonly<Record<string, string>> = {
  'sc:Manifest': 'Manifest',
  'sc:Collection': 'Collection',
  'sc:Canvas': 'Canvas',
  'sc:Range': 'Range',
  'sc:Sequence': 'Sequence',
  'sc:AnnotationList': 'AnnotationPage',
  'sc:Layer': 'AnnotationCollection',
  'oa:Annotation': 'Annotation',
  'oa:SpecificResource': 'SpecificResource',
  'oa:Choice': 'Choice',
  'cnt:ContentAsText': 'TextualBody',
  'dctypes:Image': 'Image',
  'dctypes:Text': 'Text',
  'dctypes:Dataset': 'Dataset',
};

interface Appearance {
  readonly type: string | undefined;
  readonly where: string;
}

/** Properties seen for one id in one dialect (`id`/`type` or `@id`/`@type`), with where each was first seen. */
type Known = Map<string, { value: unknown; where: string }>;

export interface RecordOptions {
  /**
   * Compare the type only. For documents that describe the same resource at another level of
   * detail by design, e.g. an info.json against the service entry a manifest embeds.
   */
  readonly typeOnly?: boolean;
}

/** Collects every appearance of every id across any number of published documents. */
export class IdentityLedger {
  private readonly types = new Map<string, Appearance>();
  private readonly bodies = new Map<string, Known>();
  private readonly found: string[] = [];

  /** Walks one published document; `where` names it in messages (e.g. its URL). */
  record(document: unknown, where: string, options: RecordOptions = {}): this {
    this.walk(document, where, options);
    return this;
  }

  /** Every contradiction seen so far, one line each; empty when every id names one resource. */
  conflicts(): readonly string[] {
    return this.found;
  }

  private walk(value: unknown, where: string, options: RecordOptions): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.walk(v, `${where}[${i}]`, options));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Record<string, unknown>;
    const dialect = typeof node.id === 'string' ? 3 : typeof node['@id'] === 'string' ? 2 : null;
    if (dialect !== null) this.see(node, dialect, where, options);
    for (const [key, child] of Object.entries(node)) {
      if (key !== '@context') this.walk(child, `${where} › ${key}`, options);
    }
  }

  private see(node: Record<string, unknown>, dialect: 2 | 3, where: string, options: RecordOptions): void {
    const id = String(dialect === 3 ? node.id : node['@id']);
    const rawType = dialect === 3 ? node.type : node['@type'];
    const type = typeof rawType === 'string' ? (upgradedTypes[rawType] ?? rawType) : undefined;
    const first = this.types.get(id);
    if (!first) this.types.set(id, { type, where });
    else if (type !== undefined && first.type === undefined) this.types.set(id, { type, where });
    else if (type !== undefined && first.type !== type) {
      this.found.push(`${id}: type ${first.type} at ${first.where}, but ${type} at ${where}`);
    }
    if (options.typeOnly) return;

    const key = `${dialect} ${id}`;
    const known: Known = this.bodies.get(key) ?? new Map();
    this.bodies.set(key, known);
    for (const [property, v] of Object.entries(node)) {
      // The type has its own check above, across both versions.
      if (property === '@context' || property === 'type' || property === '@type') continue;
      const value = referencesOnly(v);
      const seen = known.get(property);
      if (!seen) known.set(property, { value, where });
      else if (!isDeepStrictEqual(seen.value, value)) {
        this.found.push(`${id}: "${property}" differs between ${seen.where} and ${where}`);
      }
    }
  }
}

/**
 * A property's value with every nested resource reduced to its id: a nested resource is compared
 * where it appears itself, so a reference to it (fewer properties) is no contradiction here.
 */
function referencesOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(referencesOnly);
  if (!value || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const id = node.id ?? node['@id'];
  if (typeof id === 'string') return { id };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, referencesOnly(v)]));
}
