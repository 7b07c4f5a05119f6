import type { ErrorObject } from 'ajv/dist/2020.js';
import type { CtnetError } from '../model/errors.js';
import type { FieldPath } from './types.js';
import type { LoadedDoc } from './load.js';
import { validator } from './schema-validator.js';

/** `spec.interfaces[0].name`; keys that are not identifiers (sysctl names) are quoted. */
export function pathText(path: FieldPath): string {
  return path.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) return `${acc}[${JSON.stringify(s)}]`;
    return acc ? `${acc}.${s}` : s;
  }, '');
}

/** `/spec/interfaces/0/name` → ['spec', 'interfaces', 0, 'name']; a segment is an index only inside a list. */
function fieldPath(pointer: string, data: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(cur) ? Number(seg) : seg;
    out.push(step);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[step] : undefined;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' };
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

function message(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as { title?: string; description?: string };
  // inside propertyNames, ajv's `data` is the map; the offending value is the key
  const data = e.propertyName ?? e.data;
  switch (e.keyword) {
    case 'additionalProperties': return `unknown field "${String(p.additionalProperty)}"`;
    case 'required': return `missing required field "${String(p.missingProperty)}"`;
    case 'enum': return `${show(e.data)} is not allowed; use one of ${(p.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'const': return `must be ${show(p.allowedValue)}`;
    // ajv's own words are kept first: scripts match on "must be <= 65535"
    case 'minimum': case 'maximum': return `${e.message ?? 'out of range'}${parent.description ? ` (${parent.description})` : ''}`;
    case 'type': {
      const want = ([] as string[]).concat(p.type as string).map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      return parent.title ? `${show(e.data)} is not a valid ${parent.title}: ${parent.description ?? `must be ${want}`}` : `must be ${want}, not ${show(e.data)}`;
    }
    default:
      if (parent.title) return `${show(data)} is not a valid ${parent.title}: ${parent.description ?? e.message}`;
      return e.message ?? 'invalid';
  }
}

/** Wrapper keywords only repeat what the errors inside them say. */
const NOISE = new Set(['if', 'then', 'else', 'allOf', 'propertyNames']);

/** Schema errors of one document, each positioned on its field; one message per field and text. */
export function schemaErrors(doc: LoadedDoc): CtnetError[] {
  const validate = validator();
  if (validate(doc.data)) return [];
  const seen = new Set<string>();
  const typed = new Set<string>();
  const out: CtnetError[] = [];
  for (const e of validate.errors ?? []) {
    if (NOISE.has(e.keyword)) continue;
    const path = fieldPath(e.instancePath, doc.data);
    const p = e.params as Record<string, unknown>;
    // a bad key (sysctl name) is reported on the key itself, not on the map holding it
    if (e.propertyName !== undefined) path.push(e.propertyName);
    if (e.keyword === 'additionalProperties') path.push(String(p.additionalProperty));
    const text = pathText(path);
    // a value of the wrong type fails every branch that wanted another type: say it once
    if (e.keyword === 'type' && typed.has(text)) continue;
    if (e.keyword === 'type') typed.add(text);
    const msg = path.length === 0 && e.keyword === 'type' ? `a manifest is a mapping (apiVersion, kind, metadata, spec), not ${show(e.data)}` : message(e);
    if (seen.has(`${text}|${msg}`)) continue;
    seen.add(`${text}|${msg}`);
    const onKey = e.keyword === 'additionalProperties' || e.propertyName !== undefined;
    out.push({ code: 'invalid', ...(onKey ? doc.keyAt : doc.source.at)(path), path: text || '(document)', message: msg });
  }
  return out;
}
