import type { CtnetError } from '../model/errors.js';

/** The subset of JSON Schema the manifest schema is written in; read loosely, as data. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly description?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly if?: SchemaNode;
  readonly then?: SchemaNode;
  readonly else?: SchemaNode;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

export interface Field {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly required: boolean;
}

/** What `ctnet explain KIND.path` prints, as data. */
export interface Explained {
  readonly kind: string;
  readonly path: string;
  readonly type: string;
  readonly description: string;
  readonly fields: readonly Field[];
}

/** A `$ref` followed (only local `#/$defs/NAME` occur); the referring node's own keys win. */
function deref(root: SchemaNode, s: SchemaNode): SchemaNode {
  if (!s.$ref) return s;
  const target = root.$defs?.[s.$ref.split('/').pop()!];
  if (!target) return s;
  const { $ref: _, ...local } = s;
  return { ...deref(root, target), ...local };
}

/** The alternatives a value may take: oneOf/anyOf variants, and if/then/else's two branches. */
function variants(root: SchemaNode, s: SchemaNode): SchemaNode[] {
  const alts = [...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  if (s.then) alts.push(s.then);
  if (s.else) alts.push(s.else);
  return alts.map((a) => deref(root, a));
}

/** The type in kubectl's words: `string (IP address)`, `[]object`, `map[string]sysctl value`. */
export function typeOf(root: SchemaNode, node: SchemaNode): string {
  const s = deref(root, node);
  if (s.const !== undefined) return `${JSON.stringify(s.const)} (constant)`;
  if (s.enum) return `enum: ${s.enum.map((v) => String(v)).join(', ')}`;
  const alts = variants(root, s);
  if (alts.length) return [...new Set(alts.map((a) => typeOf(root, { ...a, title: a.title ?? s.title })))].join(' | ');
  const types = typeof s.type === 'string' ? [s.type] : (s.type ?? []);
  // an if/then/else branch may say only `items`: an array all the same
  if ((types.includes('array') || !types.length) && s.items) return `[]${typeOf(root, s.items)}`;
  if (s.properties) return 'object';
  if (typeof s.additionalProperties === 'object') return `map[string]${typeOf(root, s.additionalProperties)}`;
  const base = types.join('|') || 'any';
  return s.title ? `${base} (${s.title})` : base;
}

/** Where a value's fields are: through arrays and alternatives, to the first node with properties. */
function objectOf(root: SchemaNode, node: SchemaNode): SchemaNode | undefined {
  const s = deref(root, node);
  if (s.properties) return s;
  if (s.items) return objectOf(root, s.items);
  for (const a of variants(root, s)) {
    const o = objectOf(root, a);
    if (o) return o;
  }
  return undefined;
}

/** A property's schema, or undefined: the schema is data, any key may be missing. */
const prop = (s: SchemaNode | undefined, name: string): SchemaNode | undefined =>
  s?.properties && Object.hasOwn(s.properties, name) ? s.properties[name] : undefined;

/** The spec schema of a kind: the root's `allOf: [{if: kind = K, then: {properties: {spec}}}]`. */
function kindRoot(root: SchemaNode, kind: string): SchemaNode {
  const spec = root.allOf?.find((r) => prop(r.if, 'kind')?.const === kind)?.then?.properties?.spec;
  // the kind's spec replaces the generic one, whose description only says "depends on kind"
  const props = { ...root.properties, ...(spec ? { spec } : {}) };
  return { ...root, properties: props, allOf: undefined };
}

function kindDescription(root: SchemaNode, kind: string): string {
  const spec = kindRoot(root, kind).properties?.spec;
  return (spec && deref(root, spec).description) ?? '';
}

/** The first sentence: up to a full stop followed by a capital (so "e.g. /proc" does not end it). */
const firstLine = (d: string | undefined): string => (d ?? '').split(/(?<=\.)\s+(?=[A-Z])/)[0];

function fieldsOf(root: SchemaNode, s: SchemaNode | undefined, full: boolean): Field[] {
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, f]) => ({
    name,
    type: typeOf(root, f),
    description: full ? (deref(root, f).description ?? '') : firstLine(deref(root, f).description),
    required: s.required?.includes(name) ?? false,
  }));
}

export const kindsOf = (root: SchemaNode): string[] => (prop(root, 'kind')?.enum ?? []).map(String);

/** `Container.spec.interfaces.addresses` (or `interfaces[].addresses`) explained from the schema. */
export function explain(root: SchemaNode, query: string): Explained | CtnetError {
  const [kind, ...path] = query.split('.').map((p) => p.replace(/\[\d*\]$/, ''));
  const kinds = kindsOf(root);
  if (!kinds.includes(kind))
    return { code: 'invalid', path: query, message: `no kind "${kind}"; the kinds are ${kinds.join(', ')}` };
  let node: SchemaNode = kindRoot(root, kind);
  for (let i = 0; i < path.length; i++) {
    const obj = objectOf(root, node);
    const next = prop(obj, path[i]);
    if (!next) {
      const at = [kind, ...path.slice(0, i)].join('.');
      const there = Object.keys(obj?.properties ?? {});
      const list = there.length ? `the fields of ${at} are ${there.join(', ')}` : `${at} has no fields`;
      return { code: 'invalid', path: query, message: `no field "${path[i]}" in ${at}; ${list}` };
    }
    node = next;
  }
  const s = deref(root, node);
  return {
    kind,
    path: [kind, ...path].join('.'),
    type: path.length ? typeOf(root, node) : 'object',
    // a kind's own words are its spec's: the root's description is about every kind
    description: path.length ? (s.description ?? '') : kindDescription(root, kind),
    fields: fieldsOf(root, objectOf(root, node), false),
  };
}
