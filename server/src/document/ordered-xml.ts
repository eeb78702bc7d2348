/**
 * The XML reading shared by the ALTO and PAGE readers: fast-xml-parser's ordered form (document
 * order matters for reading order), element names compared without their namespace prefix,
 * attribute values and text kept as strings, character references decoded.
 */
import { XMLParser } from 'fast-xml-parser';
import { DocumentDataError } from './document-error.js';

/** fast-xml-parser's ordered form: one key (the element name) plus optional attributes. */
export type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Prefixes are kept so that a root's namespace declaration can be read; names are compared without them.
  removeNSPrefix: false,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  // Character references (CONTENT="&#1058;") as well as the five XML entities.
  htmlEntities: true,
});

/** The element's name as written, prefix included. */
export function qualifiedName(node: OrderedNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}
/** The element's local name. */
export function nameOf(node: OrderedNode): string {
  const name = qualifiedName(node);
  return name.slice(name.indexOf(':') + 1);
}
export function childrenOf(node: OrderedNode): OrderedNode[] {
  const value = node[qualifiedName(node)];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}
export function children(node: OrderedNode, name: string): OrderedNode[] {
  return childrenOf(node).filter((c) => nameOf(c) === name);
}
/** An attribute by its name as written (`ID`, `points`, `xmlns:pc`). */
export function attr(node: OrderedNode, name: string): string | undefined {
  return node[':@']?.[name];
}
export function textOf(node: OrderedNode): string {
  return childrenOf(node)
    .map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')) // always a string: parseTagValue is off
    .join('')
    .trim();
}

/** The document's root element of this local name; a DocumentDataError naming `file` otherwise. */
export function rootElement(xml: string, file: string, name: string): OrderedNode {
  let roots: OrderedNode[];
  try {
    roots = parser.parse(xml, true) as OrderedNode[];
  } catch (err) {
    throw new DocumentDataError(file, '/', `is not well-formed XML (${(err as Error).message.split('\n')[0]})`);
  }
  const root = roots.find((n) => nameOf(n) === name);
  if (!root) throw new DocumentDataError(file, '/', `has no <${name}> root element`);
  return root;
}
